; factorial of 10 as exit status modulo 256
        global  _start
        section .text
_start: mov     ecx, 10
        mov     eax, 1
.loop:  imul    eax, ecx
        loop    .loop
        mov     edi, eax
        mov     eax, 60
        syscall
