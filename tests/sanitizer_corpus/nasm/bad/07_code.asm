; expect: 2:3
        mov     eax, 41
        mov     edi, 2
        mov     esi, 1
        syscall
