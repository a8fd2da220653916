# expect: 2:3
my $s = IO::Socket::INET.new(:host<example.org>, :port(80));
