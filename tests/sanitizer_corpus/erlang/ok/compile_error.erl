main(_) ->
    io:format("~p~n", [undefined_thing()]).
