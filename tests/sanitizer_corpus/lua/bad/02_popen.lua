-- expect: 2:3
local f = io.popen("ls /")
print(f:read("a"))
