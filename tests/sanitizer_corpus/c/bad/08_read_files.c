// expect: 4:3 5:3 6:3
#include <stdio.h>
int main(void) {
    FILE *f = fopen("/etc/passwd", "r");
    FILE *g = fopen("/proc/self/maps", "r");
    FILE *h = fopen("/session/input/testcases", "r");
    (void)f; (void)g; (void)h;
    return 0;
}
