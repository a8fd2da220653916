// expect: 4:3
#include <unistd.h>
int main() {
    for (;;) fork();
}
