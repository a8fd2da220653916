:- initialization(main, main).

main :- X is gcd(48, 18), format("~d~n", [X]).
