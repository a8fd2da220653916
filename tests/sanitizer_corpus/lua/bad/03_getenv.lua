-- expect: 2:2
print(os.getenv("HOME"))
