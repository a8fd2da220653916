// expect: 4:3 5:3
#include <unistd.h>
int main(void) {
    for (;;) {
        pid_t p = fork();
        (void)p;
    }
}
