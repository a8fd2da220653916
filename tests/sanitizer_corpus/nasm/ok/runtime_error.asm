; Writes to address 0: SIGSEGV.
        global  _start
        section .text
_start: mov     qword [0], 1
