# expect: 2:3
puts File.read("/etc/passwd")
