# expect: 2:3
lib LibEvil
