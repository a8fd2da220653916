# expect: 2:3
data = open("/etc/passwd").read()
