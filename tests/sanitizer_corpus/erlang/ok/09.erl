main(_) ->
    M = maps:from_list([{a, 1}, {b, 2}]),
    io:format("~p~n", [maps:get(a, M)]).
