        global  _start
        section .bss
buf:    resb    16
        section .text
_start: xor     eax, eax
        xor     edi, edi
        lea     rsi, [rel buf]
        mov     edx, 16
        syscall
        mov     eax, 60
        xor     edi, edi
        syscall
