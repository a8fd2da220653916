% expect: 2:2
    file:delete("x"),
