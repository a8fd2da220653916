; expect: 2:3
(slurp "/var/run/docker.sock")
