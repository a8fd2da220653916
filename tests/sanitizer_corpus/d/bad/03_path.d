// expect: 2:2
auto s = readText("../secret.txt");
