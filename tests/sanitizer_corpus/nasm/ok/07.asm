; gcd(48, 18)
        global  _start
        section .text
_start: mov     rax, 48
        mov     rbx, 18
.gcd:   xor     edx, edx
        div     rbx
        mov     rax, rbx
        mov     rbx, rdx
        test    rbx, rbx
        jnz     .gcd
        mov     rdi, rax
        mov     eax, 60
        syscall
