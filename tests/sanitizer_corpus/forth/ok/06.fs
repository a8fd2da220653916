: fizz ( n -- ) dup 15 mod 0= if drop ." FizzBuzz" exit then
  dup 3 mod 0= if drop ." Fizz" exit then
  dup 5 mod 0= if drop ." Buzz" exit then . ;
: run 101 1 do i fizz cr loop ;
run
