// expect: 2:2 5:3
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    return (int)syscall(SYS_getpid);
}
