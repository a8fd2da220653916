local memo = {}
local function fib(n)
  if n < 2 then return n end
  if memo[n] then return memo[n] end
  local r = (fib(n - 1) + fib(n - 2)) % 1000000007
  memo[n] = r
  return r
end
print(fib(io.read("n")))
