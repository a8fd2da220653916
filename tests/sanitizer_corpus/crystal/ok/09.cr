counts = Hash(String, Int32).new(0)
STDIN.gets_to_end.split.each { |w| counts[w] += 1 }
counts.each { |w, n| puts "#{w} #{n}" }
