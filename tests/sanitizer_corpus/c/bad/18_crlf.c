// expect: 4:3
#include <stdlib.h>
int main(void) {
    system("id");
    return 0;
}
