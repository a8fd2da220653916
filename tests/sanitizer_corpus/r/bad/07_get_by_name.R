# expect: 2:3
f <- get("system")
f("id")
