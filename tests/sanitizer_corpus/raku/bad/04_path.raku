# expect: 2:3
say "/var/run/docker.sock".IO.slurp;
