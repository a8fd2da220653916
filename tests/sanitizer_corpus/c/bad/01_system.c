// expect: 5:3
#include <stdlib.h>

int main(void) {
    system("cat /etc/hostname");
    return 0;
}
