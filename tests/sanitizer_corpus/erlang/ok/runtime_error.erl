main(_) ->
    erlang:error(boom).
