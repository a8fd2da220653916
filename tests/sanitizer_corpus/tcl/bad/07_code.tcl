# expect: 2:3
set s [socket example.org 80]
