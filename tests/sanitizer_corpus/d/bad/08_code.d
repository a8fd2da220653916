// expect: 2:2
auto home = environment["HOME"];
