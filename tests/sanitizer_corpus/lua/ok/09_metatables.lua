local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({ x = x, y = y }, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec:len2() return self.x * self.x + self.y * self.y end
local n = io.read("n")
local sum = Vec.new(0, 0)
for _ = 1, n do sum = sum + Vec.new(io.read("n", "n")) end
print(sum.x, sum.y, sum:len2())
