% expect: 2:2
    {ok, B} = file:read_file("../secret.txt"),
