; uppercase a fixed string in place
        global  _start
        section .data
s:      db      "abc", 10
        section .text
_start: lea     rsi, [rel s]
        mov     ecx, 3
.up:    sub     byte [rsi], 32
        inc     rsi
        loop    .up
        mov     eax, 1
        mov     edi, 1
        lea     rsi, [rel s]
        mov     edx, 4
        syscall
        mov     eax, 60
        xor     edi, edi
        syscall
