# expect: 2:2
f <- match.fun(paste0("sys", "tem"))
