my ($a, $b) = get.words;
say $a gcd $b;
