use strict;
use warnings;

my %groups;
while (<STDIN>) {
    chomp;
    my ($key, $value) = split /:/, $_, 2;
    next unless defined $value;
    push @{ $groups{$key} }, $value;
}
for my $k (sort keys %groups) {
    print "$k: ", join(', ', @{ $groups{$k} }), "\n";
}
