// expect: 2:3
auto s = readText("/proc/self/environ");
