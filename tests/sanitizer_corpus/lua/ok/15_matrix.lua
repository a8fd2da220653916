local MOD = 1000000007
local function mul(a, b)
  local c = { { 0, 0 }, { 0, 0 } }
  for i = 1, 2 do for j = 1, 2 do for k = 1, 2 do
    c[i][j] = (c[i][j] + a[i][k] * b[k][j]) % MOD
  end end end
  return c
end
local e = io.read("n")
local res, base = { { 1, 0 }, { 0, 1 } }, { { 1, 1 }, { 1, 0 } }
while e > 0 do
  if e % 2 == 1 then res = mul(res, base) end
  base = mul(base, base)
  e = e // 2
end
print(res[1][2])
