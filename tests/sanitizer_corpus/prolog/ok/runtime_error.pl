:- initialization(main, main).

main :- throw(boom).
