import math
import sys

# Python integers are arbitrary precision: factorials and gcds of huge numbers are easy.
data = sys.stdin.read().split()
n = int(data[0])
nums = list(map(int, data[1 : n + 1]))
g = 0
for x in nums:
    g = math.gcd(g, x)
lcm = 1
for x in nums:
    lcm = lcm * x // math.gcd(lcm, x)
print(g)
print(lcm)
print(sum(int(ch) for ch in str(math.factorial(n))))
print(pow(2, 10**5, 10**9 + 7))
