use strict;
use warnings;

my @rows = map { chomp; [split /,/] } <STDIN>;
my @width = map { my $i = $_; (sort { $b <=> $a } map { length $_->[$i] } @rows)[0] } 0 .. $#{ $rows[0] };
for my $r (@rows) {
    print join(' | ', map { sprintf "%-*s", $width[$_], $r->[$_] } 0 .. $#$r), "\n";
}
