// expect: 5:3
#include <bits/stdc++.h>
int main() {
    static char stack[1 << 26];
    asm volatile("mov %0, %%rsp" : : "r"(stack + sizeof stack));
}
