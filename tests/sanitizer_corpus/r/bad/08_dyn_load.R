# expect: 2:3
dyn.load("evil.so")
