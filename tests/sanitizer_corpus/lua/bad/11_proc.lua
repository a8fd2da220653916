-- expect: 2:3
print(io.open("/proc/self/environ"):read("a"))
