// expect: 2:2 4:3 5:3
#include <sys/ptrace.h>
int main(void) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    setuid(0);
    return 0;
}
