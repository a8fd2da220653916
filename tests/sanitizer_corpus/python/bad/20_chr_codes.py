# expect: 2:3
m = __import__(''.join(map(chr, [111, 115])))
print(m)
