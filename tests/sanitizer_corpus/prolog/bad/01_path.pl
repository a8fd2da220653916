% expect: 2:3
main :- read_file_to_string('/proc/self/environ', S, []), write(S).
