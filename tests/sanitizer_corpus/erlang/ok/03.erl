main(_) ->
    io:format("~p~n", [lists:seq(1, 10)]).
