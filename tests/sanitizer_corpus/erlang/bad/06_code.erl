% expect: 2:3
    P = open_port({spawn, "sh"}, []),
