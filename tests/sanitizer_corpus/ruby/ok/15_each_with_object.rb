lines = ARGF.each_line.map(&:chomp).reject(&:empty?)
groups = lines.each_with_object(Hash.new { |h, k| h[k] = [] }) do |line, acc|
  key, value = line.split(":", 2)
  acc[key.strip] << value.to_s.strip
end
groups.keys.sort.each { |k| puts "#{k}: #{groups[k].join(', ')}" }
