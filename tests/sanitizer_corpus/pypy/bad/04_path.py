# expect: 2:3
data = open("/var/run/docker.sock").read()
