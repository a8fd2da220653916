for (s in readLines("stdin")) {
  clean <- gsub("[^a-z0-9]", "", tolower(s))
  rev_s <- paste(rev(strsplit(clean, "")[[1]]), collapse = "")
  cat(if (clean == rev_s) "YES" else "NO", toupper(s), nchar(s), "\n")
}
