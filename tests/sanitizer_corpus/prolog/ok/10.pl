:- initialization(main, main).

main :- findall(X, (between(2, 50, X), \+ (between(2, X, D), D < X, X mod D =:= 0)), Ps), writeln(Ps).
