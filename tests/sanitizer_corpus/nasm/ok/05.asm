; sum 1..100 in rax
        global  _start
        section .text
_start: xor     eax, eax
        mov     ecx, 100
.add:   add     rax, rcx
        dec     rcx
        jnz     .add
        mov     edi, 0
        mov     eax, 60
        syscall
