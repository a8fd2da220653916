-- expect: 2:3 3:3
local ffi = require("ffi")
ffi.cdef("int system(const char *);")
