main(_) ->
    Words = read_words([]),
    io:format("~b~n", [lists:sum([binary_to_integer(W) || W <- Words])]).

read_words(Acc) ->
    case io:get_line("") of
        eof -> Acc;
        Line ->
            Words = string:lexemes(string:trim(list_to_binary(Line)), " \t"),
            read_words(Acc ++ Words)
    end.
