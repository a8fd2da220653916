import sys
from collections import Counter

counts = Counter(sys.stdin.read().split())
for key in sorted(counts):
    print(key, counts[key])
