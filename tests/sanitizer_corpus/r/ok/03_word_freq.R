text <- tolower(paste(readLines("stdin"), collapse = " "))
words <- regmatches(text, gregexpr("[a-z']+", text))[[1]]
tab <- sort(table(words), decreasing = TRUE)
top <- head(tab[order(-tab, names(tab))], 3)
for (w in names(top)) cat(w, top[[w]], "\n")
