# expect: 2:3
x <- readLines(url("http://203.0.113.7/"))
