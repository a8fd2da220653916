n = gets.to_i
f = (1..n).reduce(1, :*)
puts f
puts f.digits.sum
puts 2.pow(n, 1_000_000_007)
