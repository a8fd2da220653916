// expect: 2:3
int s = socket(AF_INET, SOCK_STREAM, 0);
