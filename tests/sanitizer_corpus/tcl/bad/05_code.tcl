# expect: 2:3
puts [exec ls]
