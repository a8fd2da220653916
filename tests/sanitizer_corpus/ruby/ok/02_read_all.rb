data = STDIN.read.split.map(&:to_i)
n = data.shift
arr = data.first(n).sort
puts arr.join(" ")
puts arr.sum
puts arr.each_slice(2).map(&:sum).max
