# expect: 2:2
set f [open "../secret.txt"]
