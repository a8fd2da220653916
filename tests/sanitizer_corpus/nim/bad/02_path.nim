# expect: 2:3
let s = readFile("/etc/passwd")
