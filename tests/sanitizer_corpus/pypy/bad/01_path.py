# expect: 2:3
data = open("/proc/self/environ").read()
