# expect: 2:3
set f [open "/var/run/docker.sock"]
