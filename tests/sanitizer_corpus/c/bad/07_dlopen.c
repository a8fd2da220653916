// expect: 2:3 4:3 5:3
#include <dlfcn.h>
int main(void) {
    void *h = dlopen("libc.so.6", RTLD_NOW);
    int (*f)(const char *) = (int (*)(const char *))dlsym(h, "puts");
    return f("hi");
}
