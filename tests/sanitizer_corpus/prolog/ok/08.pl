:- initialization(main, main).

main :-
    read_line_to_string(user_input, S),
    string_chars(S, Cs), reverse(Cs, Rs), string_chars(R, Rs),
    writeln(R).
