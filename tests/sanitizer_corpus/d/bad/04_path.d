// expect: 2:3
auto s = readText("/var/run/docker.sock");
