local data = io.read("a")
local nums = {}
for x in data:gmatch("%-?%d+") do nums[#nums + 1] = tonumber(x) end
local n = table.remove(nums, 1)
local arr = {}
for i = 1, n do arr[i] = nums[i] end
table.sort(arr)
print(table.concat(arr, " "))
