local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i * i) end
  end)
end
local total = 0
for v in gen(io.read("n")) do total = total + v end
print(total)
