% expect: 2:3
main :- tcp_connect(localhost:80, S, []), close(S).
