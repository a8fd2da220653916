; exit status 3
        global  _start
        section .text
_start: mov     eax, 60
        mov     edi, 3
        syscall
