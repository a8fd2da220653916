// expect: 6:3 7:2
#include <string.h>
#include <sys/mman.h>
unsigned char code[] = {0x48, 0x31, 0xc0, 0xc3};
int main(void) {
    void *mem = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(mem, code, sizeof code); return ((int (*)(void))mem)();
}
