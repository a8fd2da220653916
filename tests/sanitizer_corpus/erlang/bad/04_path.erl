% expect: 2:3
    {ok, B} = file:read_file("/var/run/docker.sock"),
