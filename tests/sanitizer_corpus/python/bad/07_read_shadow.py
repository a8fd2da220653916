# expect: 3:3 4:3 5:3
data = input()
print(open("/etc/shadow").read())
print(open("/proc/self/environ").read())
print(open("/var/run/docker.sock", "rb").read(10))
