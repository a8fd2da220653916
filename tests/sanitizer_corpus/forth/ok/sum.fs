\ Adds up the numbers on stdin, line by line.
create line 4096 allot
variable total
: parse-int ( addr u -- n true | false )
    over c@ [char] - = dup >r if 1 /string then
    0. 2swap >number nip nip if r> 2drop false exit then
    r> if negate then true ;
: add-words ( addr u -- )
    begin
        bl skip dup while
        2dup bl scan 2swap 2 pick - parse-int if total +! then
    repeat 2drop ;
: main ( -- )
    0 total !
    begin line 4096 stdin read-line throw while
        line swap add-words
    repeat drop
    total @ 0 .r cr ;
main
