# expect: 2:3
set f [open "|ls"]
