local n, cap = io.read("n", "n")
local best = {}
for c = 0, cap do best[c] = 0 end
for _ = 1, n do
  local w, v = io.read("n", "n")
  for c = cap, w, -1 do best[c] = math.max(best[c], best[c - w] + v) end
end
print(best[cap])
