; Copies stdin to stdout with read(2) and write(2); exit status 1 on an error.
        global  _start

        section .bss
buf:    resb    65536

        section .text
_start:
.read:  xor     eax, eax                ; read(0, buf, 65536)
        xor     edi, edi
        lea     rsi, [rel buf]
        mov     edx, 65536
        syscall
        test    rax, rax
        js      .fail
        jz      .done
        mov     rdx, rax                ; bytes left to write
        lea     rsi, [rel buf]
.write: mov     eax, 1                  ; write(1, rsi, rdx)
        mov     edi, 1
        syscall
        test    rax, rax
        js      .fail
        add     rsi, rax
        sub     rdx, rax
        jnz     .write
        jmp     .read
.done:  xor     edi, edi
        jmp     .exit
.fail:  mov     edi, 1
.exit:  mov     eax, 60                 ; exit(edi)
        syscall
