local n, q = io.read("n", "n")
local a = {}
for i = 1, n do a[i] = io.read("n") end
table.sort(a)
local out = {}
for _ = 1, q do
  local x = io.read("n")
  local lo, hi = 1, n + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if a[mid] < x then lo = mid + 1 else hi = mid end
  end
  out[#out + 1] = lo - 1
end
io.write(table.concat(out, "\n"), "\n")
