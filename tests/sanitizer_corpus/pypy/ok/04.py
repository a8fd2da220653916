import math
print(math.factorial(30))
