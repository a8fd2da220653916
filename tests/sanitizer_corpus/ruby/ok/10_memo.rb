memo = Hash.new do |h, k|
  h[k] = k < 2 ? k : h[k - 1] + h[k - 2]
end
n = gets.to_i
puts memo[n]
