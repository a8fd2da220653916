# expect: 2:3
open("|id") { |f| puts f.read }
