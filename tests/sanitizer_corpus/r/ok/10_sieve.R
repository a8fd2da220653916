n <- as.integer(readLines("stdin", n = 1))
is_prime <- rep(TRUE, n)
is_prime[1] <- FALSE
for (i in 2:floor(sqrt(n))) if (is_prime[i]) is_prime[seq(i * i, n, by = i)] <- FALSE
cat(sum(is_prime), "\n")
