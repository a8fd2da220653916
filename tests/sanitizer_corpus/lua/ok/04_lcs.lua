local a = io.read("l")
local b = io.read("l")
local prev = {}
for j = 0, #b do prev[j] = 0 end
for i = 1, #a do
  local cur = { [0] = 0 }
  for j = 1, #b do
    if a:sub(i, i) == b:sub(j, j) then cur[j] = prev[j - 1] + 1
    else cur[j] = math.max(prev[j], cur[j - 1]) end
  end
  prev = cur
end
print(prev[#b])
