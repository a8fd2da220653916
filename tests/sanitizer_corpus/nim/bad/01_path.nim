# expect: 2:3
let s = readFile("/proc/self/environ")
