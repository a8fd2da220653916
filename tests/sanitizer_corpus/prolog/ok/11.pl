:- initialization(main, main).

main :- length(L, 3), maplist(=(x), L), atomic_list_concat(L, ' ', A), writeln(A).
