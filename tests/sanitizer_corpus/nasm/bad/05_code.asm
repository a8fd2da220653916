; expect: 2:3
        mov     eax, 59                 ; execve
        syscall
