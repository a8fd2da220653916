% expect: 2:2
main :- delete_file(x).
