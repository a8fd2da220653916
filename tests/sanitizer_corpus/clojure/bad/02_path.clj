; expect: 2:3
(slurp "/etc/passwd")
