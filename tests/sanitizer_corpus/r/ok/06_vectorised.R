x <- as.numeric(strsplit(readLines("stdin", n = 1), " ")[[1]])
cat(sprintf("%.4f %.4f %.4f\n", mean(x), median(x), sd(x)))
cat(cumsum(x), sep = " "); cat("\n")
cat(which.max(x), which.min(x), "\n")
