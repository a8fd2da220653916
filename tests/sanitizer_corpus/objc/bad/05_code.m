// expect: 2:3
int r = system("ls");
