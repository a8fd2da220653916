# expect: 2:2
say "../secret.txt".IO.slurp;
