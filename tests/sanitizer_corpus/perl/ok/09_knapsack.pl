use strict;
use warnings;
use List::Util qw(max);

my ($n, $cap) = split ' ', <STDIN>;
my @best = (0) x ($cap + 1);
for (1 .. $n) {
    my ($w, $v) = split ' ', <STDIN>;
    for (my $c = $cap; $c >= $w; $c--) {
        $best[$c] = max($best[$c], $best[$c - $w] + $v);
    }
}
print "$best[$cap]\n";
