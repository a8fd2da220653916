import itertools
import math
import sys

n, target = map(int, sys.stdin.readline().split())
values = list(map(int, sys.stdin.readline().split()))
count = 0
for r in range(1, n + 1):
    for combo in itertools.combinations(values, r):
        if sum(combo) == target:
            count += 1
print(count)
print(math.comb(n, n // 2), math.perm(n, 2))
for p in itertools.islice(itertools.permutations(sorted(values)[:4]), 3):
    print(*p)
print(list(itertools.accumulate(values)))
