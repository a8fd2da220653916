input <- scan(file("stdin"), quiet = TRUE)
n <- input[1]; m <- input[2]
edges <- matrix(input[3:(2 + 2 * m)], ncol = 2, byrow = TRUE)
adj <- vector("list", n)
for (k in seq_len(m)) {
  u <- edges[k, 1]; v <- edges[k, 2]
  adj[[u]] <- c(adj[[u]], v); adj[[v]] <- c(adj[[v]], u)
}
dist <- rep(-1, n); dist[1] <- 0
queue <- 1
while (length(queue) > 0) {
  u <- queue[1]; queue <- queue[-1]
  for (v in adj[[u]]) if (dist[v] < 0) { dist[v] <- dist[u] + 1; queue <- c(queue, v) }
}
cat(dist[n], "\n")
