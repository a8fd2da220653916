// expect: 5:3
#include <unistd.h>
int main(void) {
    char *argv[] = {"/bin/sh", "-c", "id", 0};
    execve("/bin/sh", argv, 0);
    return 0;
}
