require "set"
n, q = gets.split.map(&:to_i)
arr = gets.split.map(&:to_i).sort
seen = Set.new(arr)
q.times do
  x = gets.to_i
  idx = arr.bsearch_index { |v| v >= x } || n
  puts "#{seen.include?(x) ? 'YES' : 'NO'} #{idx}"
end
