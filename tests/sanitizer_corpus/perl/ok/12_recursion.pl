use strict;
use warnings;

my %memo;
sub ways {
    my ($n) = @_;
    return 1 if $n <= 1;
    return $memo{$n} //= (ways($n - 1) + ways($n - 2)) % 1_000_000_007;
}
chomp(my $n = <STDIN>);
print ways($n), "\n";
