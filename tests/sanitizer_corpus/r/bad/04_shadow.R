# expect: 2:3
print(readLines("/etc/shadow"))
