main(_) ->
    ok = io:setopts(standard_io, [binary]),
    copy().

copy() ->
    case file:read(standard_io, 65536) of
        {ok, Data} ->
            ok = file:write(standard_io, Data),
            copy();
        eof ->
            ok
    end.
