// expect: 4:3 5:3
#include <unistd.h>
int main(void) {
    while (1)
        fork();
}
