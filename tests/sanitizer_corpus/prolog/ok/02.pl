:- initialization(main, main).

main :-
    read_term(X, []), read_term(Y, []),
    Z is max(X, Y), format("~w~n", [Z]).
