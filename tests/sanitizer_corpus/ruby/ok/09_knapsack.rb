n, cap = gets.split.map(&:to_i)
best = Array.new(cap + 1, 0)
n.times do
  w, v = gets.split.map(&:to_i)
  cap.downto(w) { |c| best[c] = [best[c], best[c - w] + v].max }
end
puts best[cap]
