# expect: 2:2
puts $env(HOME)
