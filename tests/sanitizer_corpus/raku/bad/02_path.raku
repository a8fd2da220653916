# expect: 2:3
say "/etc/passwd".IO.slurp;
