# expect: 2:2
puts ENV["HOME"]
