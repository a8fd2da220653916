// expect: 2:3
FILE *f = fopen("/var/run/docker.sock", "r");
