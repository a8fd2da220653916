local rows = {}
for line in io.lines() do
  local name, score = line:match("^(%S+)%s+(%d+)$")
  if name then rows[#rows + 1] = { name = name, score = tonumber(score) } end
end
table.sort(rows, function(a, b) return a.score > b.score end)
for i, r in ipairs(rows) do io.write(string.format("%2d. %-10s %5d\n", i, r.name, r.score)) end
