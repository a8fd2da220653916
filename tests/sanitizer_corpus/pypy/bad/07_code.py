# expect: 2:3
s = __import__("o" + "s")
