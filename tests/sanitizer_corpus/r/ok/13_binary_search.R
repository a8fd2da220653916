lines <- readLines("stdin")
a <- sort(as.numeric(strsplit(lines[2], " ")[[1]]))
for (q in lines[-(1:2)]) cat(findInterval(as.numeric(q) - 1e-9, a), "\n")
