use strict;
use warnings;
use Math::BigInt;

chomp(my $n = <STDIN>);
my $f = Math::BigInt->new(1);
$f->bmul($_) for 2 .. $n;
print "$f\n";
print Math::BigInt->new(2)->bmodpow($n, 1_000_000_007), "\n";
