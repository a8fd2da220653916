// expect: 4:2 5:2 6:2
#include <stdio.h>
#include <stdlib.h>
extern char **environ;
int main(int argc, char **argv, char **envp) {
    printf("%s\n", getenv("HOME"));
    return 0;
}
