% expect: 2:3
    ok = erlang:load_nif("./evil", 0),
