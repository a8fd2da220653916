use strict;
use warnings;

chomp(my $a = <STDIN>);
chomp(my $b = <STDIN>);
my @prev = (0) x (length($b) + 1);
for my $i (1 .. length $a) {
    my @cur = (0);
    for my $j (1 .. length $b) {
        $cur[$j] = substr($a, $i - 1, 1) eq substr($b, $j - 1, 1)
            ? $prev[$j - 1] + 1
            : ($prev[$j] > $cur[$j - 1] ? $prev[$j] : $cur[$j - 1]);
    }
    @prev = @cur;
}
print $prev[-1], "\n";
