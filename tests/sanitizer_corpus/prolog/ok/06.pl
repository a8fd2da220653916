:- initialization(main, main).

fizz(I) :- I mod 15 =:= 0, !, writeln('FizzBuzz').
fizz(I) :- I mod 3 =:= 0, !, writeln('Fizz').
fizz(I) :- I mod 5 =:= 0, !, writeln('Buzz').
fizz(I) :- writeln(I).

main :- forall(between(1, 100, I), fizz(I)).
