use strict;
use warnings;

# Block eval is Perl's try/catch.
while (my $line = <STDIN>) {
    chomp $line;
    my ($x, $y) = split ' ', $line;
    my $q = eval { die "division by zero\n" if $y == 0; $x / $y };
    print defined $q ? sprintf("%.3f\n", $q) : "error: $@";
}
