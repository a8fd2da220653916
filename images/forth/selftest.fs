\ Copies stdin to stdout.
create buf 65536 allot
: echo ( -- )
    begin buf 65536 stdin read-file throw dup while
        buf swap type
    repeat drop ;
echo
