use strict;
use warnings;

my %freq;
while (my $line = <STDIN>) {
    $freq{lc $1}++ while $line =~ /([A-Za-z']+)/g;
}
my @top = (sort { $freq{$b} <=> $freq{$a} or $a cmp $b } keys %freq)[0 .. 2];
print "$_ $freq{$_}\n" for grep { defined } @top;
