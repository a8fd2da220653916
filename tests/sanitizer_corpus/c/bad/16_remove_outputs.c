// expect: 4:2
#include <unistd.h>
int main(void) {
    unlink("../output/testCaseLog");
    return 0;
}
