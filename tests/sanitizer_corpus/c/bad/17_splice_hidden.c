// expect: 4:2
#include <stdlib.h>
int main(void) {
    sys\
tem("id");
    return 0;
}
