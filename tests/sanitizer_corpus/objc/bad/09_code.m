// expect: 2:3
void *h = dlopen("libevil.so", RTLD_NOW);
