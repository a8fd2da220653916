; a function call with the stack
        global  _start
        section .text
square: mov     rax, rdi
        imul    rax, rdi
        ret
_start: mov     rdi, 7
        call    square
        mov     rdi, rax
        mov     eax, 60
        syscall
