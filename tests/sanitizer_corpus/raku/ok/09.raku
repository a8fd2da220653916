my %count;
%count{$_}++ for $*IN.slurp.words;
say "$_.key() $_.value()" for %count.sort;
