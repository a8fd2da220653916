variable total
: add ( n -- ) total +! ;
0 total ! 3 add 4 add total @ . cr
