-record(point, {x, y}).

main(_) ->
    P = #point{x = 3, y = 4},
    io:format("~b~n", [P#point.x * P#point.y]).
