; expect: 2:3
path:   db      "/var/run/docker.sock", 0
