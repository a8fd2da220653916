con <- file("stdin")
lines <- readLines(con)
close(con)
t <- as.integer(lines[1])
for (i in seq_len(t)) {
  ab <- as.numeric(strsplit(lines[i + 1], " ")[[1]])
  cat(ab[1] + ab[2], "\n", sep = "")
}
