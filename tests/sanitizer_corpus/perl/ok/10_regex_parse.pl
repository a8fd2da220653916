use strict;
use warnings;

my %total;
my $text = do { local $/; <STDIN> };
while ($text =~ /(\w+)=(-?\d+)/g) {
    $total{$1} += $2;
}
printf "%s: %d\n", $_, $total{$_} for sort keys %total;
