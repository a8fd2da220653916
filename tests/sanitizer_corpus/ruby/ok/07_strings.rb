text = $stdin.read.downcase
freq = text.scan(/[a-z']+/).tally
freq.sort_by { |w, c| [-c, w] }.first(3).each { |w, c| puts "#{w} #{c}" }
puts text.strip.reverse
puts text.tr("aeiou", "*").squeeze("*")
