% expect: 2:3
    {ok, S} = gen_tcp:connect("example.org", 80, []),
