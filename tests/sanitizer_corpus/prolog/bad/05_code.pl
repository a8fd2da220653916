% expect: 2:3
main :- shell('ls').
