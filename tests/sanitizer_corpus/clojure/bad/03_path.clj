; expect: 2:2
(slurp "../secret.txt")
