\ expect: 2:3
s" /var/run/docker.sock" r/o open-file throw
