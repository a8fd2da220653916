con <- file("stdin")
writeLines(readLines(con, warn = FALSE))
close(con)
