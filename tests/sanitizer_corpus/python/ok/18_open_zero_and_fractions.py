from fractions import Fraction
from decimal import Decimal, getcontext
from math import isqrt

getcontext().prec = 50
lines = open(0).read().split("\n")
a, b = map(int, lines[0].split())
print(Fraction(a, b))
print(Decimal(a) / Decimal(b))
print(isqrt(a * b))
print("Yes" if isqrt(a) ** 2 == a else "No")
