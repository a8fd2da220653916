local n, m = io.read("n", "n")
local adj = {}
for i = 1, n do adj[i] = {} end
for _ = 1, m do
  local u, v = io.read("n", "n")
  table.insert(adj[u], v)
  table.insert(adj[v], u)
end
local dist = { [1] = 0 }
local queue, head = { 1 }, 1
while head <= #queue do
  local u = queue[head]; head = head + 1
  for _, v in ipairs(adj[u]) do
    if dist[v] == nil then dist[v] = dist[u] + 1; queue[#queue + 1] = v end
  end
end
print(dist[n] or -1)
