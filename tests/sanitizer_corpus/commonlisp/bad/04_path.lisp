; expect: 2:3
(with-open-file (s "/var/run/docker.sock") (print (read-line s)))
