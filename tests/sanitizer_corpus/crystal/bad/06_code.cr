# expect: 2:3
puts `id`
