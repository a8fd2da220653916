say [+] $*IN.slurp.words;
