// expect: 3:3 6:2
#include <stdlib.h>
#define RUN system
int main(void) {
    RUN("id");
    RUN\
N("ls");
    return 0;
}
