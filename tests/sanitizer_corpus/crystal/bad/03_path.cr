# expect: 2:2
puts File.read("../secret.txt")
