main(_) ->
    {ok, [A, B]} = io:fread("", "~d ~d"),
    io:format("~b~n", [max(A, B)]).
