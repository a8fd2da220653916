lines <- readLines("stdin")
a <- strsplit(lines[1], "")[[1]]
b <- strsplit(lines[2], "")[[1]]
dp <- matrix(0L, length(a) + 1, length(b) + 1)
for (i in seq_along(a)) for (j in seq_along(b)) {
  dp[i + 1, j + 1] <- if (a[i] == b[j]) dp[i, j] + 1L else max(dp[i, j + 1], dp[i + 1, j])
}
cat(dp[length(a) + 1, length(b) + 1], "\n")
