% expect: 2:2
    H = os:getenv("HOME"),
