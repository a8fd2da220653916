// expect: 2:3
FILE *f = fopen("/etc/passwd", "r");
