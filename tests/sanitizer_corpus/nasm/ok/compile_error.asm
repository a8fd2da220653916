        global  _start
        section .text
_start: jmp     undefined_thing
