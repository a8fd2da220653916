% expect: 2:3
main :- read_file_to_string('/etc/passwd', S, []), write(S).
