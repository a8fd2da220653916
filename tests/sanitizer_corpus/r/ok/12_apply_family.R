m <- as.matrix(read.table(file("stdin")))
cat(apply(m, 1, sum), "\n")
cat(apply(m, 2, max), "\n")
cat(sapply(seq_len(nrow(m)), function(i) m[i, i]), "\n")
