# expect: 2:3
f = globals()["__buil" + "tins__"]
print(f)
