local parent = {}
local function find(x)
  while parent[x] ~= x do parent[x] = parent[parent[x]]; x = parent[x] end
  return x
end
local n, q = io.read("n", "n")
for i = 1, n do parent[i] = i end
for _ = 1, q do
  local t, a, b = io.read("n", "n", "n")
  if t == 0 then parent[find(a)] = find(b)
  else print(find(a) == find(b) and "YES" or "NO") end
end
