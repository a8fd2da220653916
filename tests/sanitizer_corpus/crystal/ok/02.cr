xs = gets.not_nil!.split.map(&.to_i)
puts xs.max
