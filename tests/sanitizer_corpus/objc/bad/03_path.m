// expect: 2:2
FILE *f = fopen("../secret.txt", "r");
