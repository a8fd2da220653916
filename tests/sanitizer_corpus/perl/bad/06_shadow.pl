# expect: 2:3
open(my $fh, '<', '/etc/shadow') or die;
print <$fh>;
