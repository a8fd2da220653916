use strict;
use warnings;

while (my $s = <STDIN>) {
    chomp $s;
    (my $clean = lc $s) =~ tr/a-z0-9//cd;
    print $clean eq reverse($clean) ? "YES\n" : "NO\n";
}
