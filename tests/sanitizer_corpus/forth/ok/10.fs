: countdown ( n -- ) begin dup . 1- dup 0= until drop cr ;
5 countdown
