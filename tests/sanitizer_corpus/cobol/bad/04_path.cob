*> expect: 2:3
    SELECT f ASSIGN TO "/var/run/docker.sock".
