// expect: 2:3
FILE *f = fopen("/proc/self/environ", "r");
