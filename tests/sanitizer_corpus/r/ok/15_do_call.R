rows <- lapply(readLines("stdin"), function(l) as.numeric(strsplit(l, " ")[[1]]))
m <- do.call(rbind, rows)
cat(dim(m), "\n")
cat(do.call(max, as.list(m)), "\n")
