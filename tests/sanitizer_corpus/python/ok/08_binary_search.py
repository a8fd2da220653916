import bisect
import sys

input = sys.stdin.readline

n, q = map(int, input().split())
arr = sorted(map(int, input().split()))
answers = []
for _ in range(q):
    lo, hi = map(int, input().split())
    left = bisect.bisect_left(arr, lo)
    right = bisect.bisect_right(arr, hi)
    answers.append(right - left)
print("\n".join(map(str, answers)))
