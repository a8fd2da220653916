// expect: 2:2
char *h = getenv("HOME");
