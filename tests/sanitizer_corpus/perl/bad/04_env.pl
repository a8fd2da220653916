# expect: 2:2
print "$_=$ENV{$_}\n" for keys %ENV;
