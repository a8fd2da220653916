-- expect: 2:3
local socket = require("socket")
