use strict;
use warnings;

my $t = <STDIN>;
chomp $t;
for (1 .. $t) {
    my ($a, $b) = split ' ', <STDIN>;
    print $a + $b, "\n";
}
