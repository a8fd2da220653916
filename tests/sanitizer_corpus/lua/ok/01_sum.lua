local t = io.read("n")
local out = {}
for i = 1, t do
  local a, b = io.read("n", "n")
  out[#out + 1] = tostring(a + b)
end
print(table.concat(out, "\n"))
