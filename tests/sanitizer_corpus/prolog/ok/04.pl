:- initialization(main, main).

fib(0, 0).
fib(1, 1).
fib(N, F) :- N > 1, A is N - 1, B is N - 2, fib(A, FA), fib(B, FB), F is FA + FB.

main :- fib(20, F), format("~d~n", [F]).
