; expect: 2:3
        mov     rax, 57
        xor     edi, edi
        syscall
