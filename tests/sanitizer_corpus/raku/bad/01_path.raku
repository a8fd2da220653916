# expect: 2:3
say "/proc/self/environ".IO.slurp;
