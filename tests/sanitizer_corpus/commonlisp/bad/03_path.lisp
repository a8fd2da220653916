; expect: 2:2
(with-open-file (s "../secret.txt") (print (read-line s)))
