// expect: 4:3
#include <stdio.h>
int main(void) {
    FILE *p = popen("ls /", "r");
    char buf[256];
    while (fgets(buf, sizeof buf, p)) fputs(buf, stdout);
    return 0;
}
