%define SYS_EXIT 60
        global  _start
        section .text
_start: mov     eax, SYS_EXIT
        xor     edi, edi
        syscall
