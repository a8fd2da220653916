Person = Struct.new(:name, :age)
people = $stdin.each_line.map { |l| n, a = l.split; Person.new(n, a.to_i) }
people.sort_by! { |p| [p.age, p.name] }
people.each { |p| puts "#{p.name} #{p.age}" }
