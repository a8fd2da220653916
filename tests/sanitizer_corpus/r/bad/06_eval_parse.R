# expect: 2:2
eval(parse(text = paste0("sys", "tem('id')")))
