# expect: 3:2
my $code = join '', map { chr } 112, 114, 105, 110, 116;
eval "$code 1";
