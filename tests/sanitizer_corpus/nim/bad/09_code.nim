# expect: 2:2
let h = getEnv("HOME")
