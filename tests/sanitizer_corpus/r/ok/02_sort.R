x <- scan(file("stdin"), quiet = TRUE)
n <- x[1]
v <- sort(x[2:(n + 1)])
cat(v, sep = " ")
cat("\n")
cat(sum(v), "\n")
