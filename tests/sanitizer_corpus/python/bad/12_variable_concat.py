# expect: 3:3 4:3
part = "sys"
name = part + "tem"
getattr(__import__("os"), name)("id")
