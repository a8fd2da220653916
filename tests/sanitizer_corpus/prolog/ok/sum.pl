:- initialization(main, main).

main :-
    read_string(user_input, _, Text),
    split_string(Text, " \n\t", " \n\t", Parts),
    exclude(==(""), Parts, Words),
    maplist(number_string, Numbers, Words),
    sum_list(Numbers, Sum),
    format("~d~n", [Sum]).
