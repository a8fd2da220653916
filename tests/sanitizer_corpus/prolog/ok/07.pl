:- initialization(main, main).

main :- msort([5, 3, 9, 1], S), format("~w~n", [S]).
