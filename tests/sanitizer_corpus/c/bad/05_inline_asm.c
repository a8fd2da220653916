// expect: 4:3
int main(void) {
    long ret;
    __asm__ volatile("mov $60, %%rax; syscall" : "=a"(ret));
    return (int)ret;
}
