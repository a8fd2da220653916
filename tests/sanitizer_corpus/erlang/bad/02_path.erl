% expect: 2:3
    {ok, B} = file:read_file("/etc/passwd"),
