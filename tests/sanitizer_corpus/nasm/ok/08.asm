        global  _start
        section .data
digits: db      "0123456789"
        section .text
_start: lea     rsi, [rel digits]
        mov     eax, 1
        mov     edi, 1
        mov     edx, 10
        syscall
        mov     eax, 231
        xor     edi, edi
        syscall
