local freq = {}
for line in io.lines() do
  for w in line:lower():gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
end
local words = {}
for w in pairs(freq) do words[#words + 1] = w end
table.sort(words, function(a, b)
  if freq[a] ~= freq[b] then return freq[a] > freq[b] end
  return a < b
end)
for i = 1, math.min(3, #words) do print(words[i], freq[words[i]]) end
