% expect: 2:2
main :- getenv('HOME', H), write(H).
