create line 256 allot
: upcase-line line 256 stdin read-line throw drop line swap type cr ;
upcase-line
