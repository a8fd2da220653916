# expect: 2:3
let s = readFile("/var/run/docker.sock")
