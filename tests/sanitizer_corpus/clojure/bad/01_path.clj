; expect: 2:3
(slurp "/proc/self/environ")
