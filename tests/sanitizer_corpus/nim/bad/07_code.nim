# expect: 2:3
const t = staticRead("secret.txt")
