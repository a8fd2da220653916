puts STDIN.gets_to_end.split.sum(0_i64) { |w| w.to_i64 }
