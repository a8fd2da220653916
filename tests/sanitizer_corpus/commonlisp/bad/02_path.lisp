; expect: 2:3
(with-open-file (s "/etc/passwd") (print (read-line s)))
