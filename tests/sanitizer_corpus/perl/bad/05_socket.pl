# expect: 2:2 3:3
use IO::Socket::INET;
my $s = IO::Socket::INET->new(PeerAddr => '203.0.113.7:4444');
