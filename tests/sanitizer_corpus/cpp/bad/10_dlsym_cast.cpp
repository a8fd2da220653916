// expect: 2:3 4:3
#include <dlfcn.h>
int main() {
    auto f = reinterpret_cast<int (*)(const char *)>(dlsym(RTLD_DEFAULT, "system"));
    return f("id");
}
