; Sums the signed integers on stdin; prints the sum and a newline.
        global  _start

        section .bss
buf:    resb    65536
out:    resb    32

        section .text
_start: xor     r12, r12                ; sum
        xor     r13, r13                ; current number
        xor     r14, r14                ; 1 while inside a number
        xor     r15, r15                ; 1 if it is negative
.read:  xor     eax, eax                ; read(0, buf, 65536)
        xor     edi, edi
        lea     rsi, [rel buf]
        mov     edx, 65536
        syscall
        test    rax, rax
        jle     .eof
        lea     rsi, [rel buf]
        lea     rbx, [rsi + rax]
.next:  cmp     rsi, rbx
        je      .read
        movzx   eax, byte [rsi]
        inc     rsi
        cmp     al, '-'
        je      .minus
        sub     al, '0'
        cmp     al, 9
        ja      .blank
        imul    r13, r13, 10
        add     r13, rax
        mov     r14, 1
        jmp     .next
.minus: mov     r15, 1
        jmp     .next
.blank: call    .add
        jmp     .next
.add:   test    r14, r14
        jz      .clear
        mov     rax, r13
        test    r15, r15
        jz      .ptr
        neg     rax
.ptr:   add     r12, rax
.clear: xor     r13, r13
        xor     r14, r14
        xor     r15, r15
        ret
.eof:   call    .add
        lea     rdi, [rel out + 31]     ; digits backwards from the end
        mov     byte [rdi], 10
        mov     rax, r12
        test    rax, rax
        jns     .digit
        neg     rax
.digit: xor     edx, edx
        mov     ecx, 10
        div     rcx
        add     dl, '0'
        dec     rdi
        mov     [rdi], dl
        test    rax, rax
        jnz     .digit
        test    r12, r12
        jns     .print
        dec     rdi
        mov     byte [rdi], '-'
.print: lea     rdx, [rel out + 32]
        sub     rdx, rdi
        mov     rsi, rdi
        mov     eax, 1                  ; write(1, rsi, rdx)
        mov     edi, 1
        syscall
        mov     eax, 60                 ; exit(0)
        xor     edi, edi
        syscall
