-- expect: 2:3
local f = package.loadlib("libc.so.6", "system")
