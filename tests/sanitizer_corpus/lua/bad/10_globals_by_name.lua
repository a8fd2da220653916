-- expect: 3:2
local name = "o" .. "s"
local mod = _G[name]
print(mod)
