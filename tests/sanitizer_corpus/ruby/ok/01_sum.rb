t = gets.to_i
out = []
t.times do
  a, b = gets.split.map(&:to_i)
  out << a + b
end
puts out.join("\n")
