main(_) ->
    io:format("~w~n", [lists:sort([5, 3, 9, 1])]).
