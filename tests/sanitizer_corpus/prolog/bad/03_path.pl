% expect: 2:2
main :- read_file_to_string('../secret.txt', S, []), write(S).
