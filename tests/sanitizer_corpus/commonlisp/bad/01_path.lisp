; expect: 2:3
(with-open-file (s "/proc/self/environ") (print (read-line s)))
