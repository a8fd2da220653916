# Beginner style: evaluate the arithmetic expression given on each line.
import sys

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    value = eval(line)
    print(int(value) if value == int(value) else round(value, 6))
