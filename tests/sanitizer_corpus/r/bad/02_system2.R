# expect: 2:3
out <- system2("ls", "/", stdout = TRUE)
