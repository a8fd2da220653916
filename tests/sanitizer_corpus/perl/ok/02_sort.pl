use strict;
use warnings;

my @data = split ' ', do { local $/; <STDIN> };
my $n = shift @data;
my @sorted = sort { $a <=> $b } @data[0 .. $n - 1];
print "@sorted\n";
my $sum = 0;
$sum += $_ for @sorted;
print "$sum\n";
