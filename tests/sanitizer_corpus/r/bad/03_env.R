# expect: 2:2
print(Sys.getenv())
