use strict;
use warnings;

my ($n, $m) = split ' ', <STDIN>;
my @adj;
for (1 .. $m) {
    my ($u, $v) = split ' ', <STDIN>;
    push @{ $adj[$u] }, $v;
    push @{ $adj[$v] }, $u;
}
my @dist = (-1) x ($n + 1);
$dist[1] = 0;
my @queue = (1);
while (@queue) {
    my $u = shift @queue;
    for my $v (@{ $adj[$u] // [] }) {
        next if $dist[$v] >= 0;
        $dist[$v] = $dist[$u] + 1;
        push @queue, $v;
    }
}
print "$dist[$n]\n";
