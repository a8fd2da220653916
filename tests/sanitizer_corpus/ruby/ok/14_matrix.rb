require "matrix"
MOD = 1_000_000_007
e = gets.to_i
res = Matrix.identity(2)
base = Matrix[[1, 1], [1, 0]]
while e.positive?
  res = (res * base).map { |x| x % MOD } if e.odd?
  base = (base * base).map { |x| x % MOD }
  e >>= 1
end
puts res[0, 1]
