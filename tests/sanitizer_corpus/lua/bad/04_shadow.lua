-- expect: 2:3
print(io.open("/etc/shadow"):read("a"))
