MOD <- 1000000007
mul <- function(a, b) {
  c <- matrix(0, 2, 2)
  for (i in 1:2) for (j in 1:2) c[i, j] <- (a[i, 1] * b[1, j] %% MOD + a[i, 2] * b[2, j] %% MOD) %% MOD
  c
}
e <- as.numeric(readLines("stdin", n = 1))
res <- diag(2); base <- matrix(c(1, 1, 1, 0), 2)
while (e > 0) {
  if (e %% 2 == 1) res <- mul(res, base)
  base <- mul(base, base)
  e <- e %/% 2
}
cat(res[1, 2], "\n")
