\ expect: 2:3
s" ls" system
