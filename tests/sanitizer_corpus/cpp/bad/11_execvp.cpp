// expect: 5:3
#include <unistd.h>
int main() {
    char *args[] = {(char *)"sh", nullptr};
    execvp("sh", args);
}
