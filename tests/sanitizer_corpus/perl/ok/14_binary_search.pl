use strict;
use warnings;

my ($n, $q) = split ' ', <STDIN>;
my @a = sort { $a <=> $b } split ' ', <STDIN>;
for (1 .. $q) {
    chomp(my $x = <STDIN>);
    my ($lo, $hi) = (0, $n);
    while ($lo < $hi) {
        my $mid = int(($lo + $hi) / 2);
        if ($a[$mid] < $x) { $lo = $mid + 1 } else { $hi = $mid }
    }
    print "$lo\n";
}
