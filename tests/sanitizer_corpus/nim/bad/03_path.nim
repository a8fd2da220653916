# expect: 2:2
let s = readFile("../secret.txt")
