% expect: 2:3
main :- process_create(path(sh), [], []).
