use strict;
use warnings;

chomp(my $n = <STDIN>);
my @composite;
my $count = 0;
for my $i (2 .. $n) {
    next if $composite[$i];
    $count++;
    for (my $j = $i * $i; $j <= $n; $j += $i) { $composite[$j] = 1 }
}
print "$count\n";
