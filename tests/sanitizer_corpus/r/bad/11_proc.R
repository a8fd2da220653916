# expect: 2:3
print(readLines("/proc/self/status"))
