# expect: 2:3
open(my $fh, '-|', 'ls', '/') or die;
print while <$fh>;
