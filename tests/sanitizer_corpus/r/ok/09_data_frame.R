df <- read.table(file("stdin"), header = FALSE, col.names = c("name", "age"))
df <- df[order(df$age, df$name), ]
for (i in seq_len(nrow(df))) cat(df$name[i], df$age[i], "\n")
