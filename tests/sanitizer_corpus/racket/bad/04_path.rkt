; expect: 2:3
(define s (file->string "/var/run/docker.sock"))
