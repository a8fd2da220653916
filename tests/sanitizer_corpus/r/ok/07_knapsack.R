v <- scan(file("stdin"), quiet = TRUE)
n <- v[1]; cap <- v[2]
best <- numeric(cap + 1)
for (i in seq_len(n)) {
  w <- v[1 + 2 * i]; val <- v[2 + 2 * i]
  if (w <= cap) for (c in cap:w) best[c + 1] <- max(best[c + 1], best[c - w + 1] + val)
}
cat(best[cap + 1], "\n")
