s = gets.not_nil!.chomp
puts s == s.reverse ? "YES" : "NO"
