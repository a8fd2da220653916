-- expect: 2:2
local reg = debug.getregistry()
print(reg)
