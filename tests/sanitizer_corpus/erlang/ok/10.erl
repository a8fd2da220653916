main(_) ->
    S = string:trim(io:get_line("")),
    io:format("~s~n", [lists:reverse(S)]).
