# expect: 2:3
my $out = qx{uname -a};
print $out;
