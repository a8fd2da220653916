memo <- new.env()
fib <- function(n) {
  if (n < 2) return(n)
  key <- as.character(n)
  if (!is.null(memo[[key]])) return(memo[[key]])
  r <- (fib(n - 1) + fib(n - 2)) %% 1000000007
  assign(key, r, envir = memo)
  r
}
n <- as.integer(readLines("stdin", n = 1))
cat(format(fib(n), scientific = FALSE), "\n")
