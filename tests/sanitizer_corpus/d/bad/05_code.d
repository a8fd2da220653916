// expect: 2:3
auto r = executeShell("ls");
