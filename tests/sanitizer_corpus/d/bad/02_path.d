// expect: 2:3
auto s = readText("/etc/passwd");
