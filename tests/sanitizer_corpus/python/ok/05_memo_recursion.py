import sys
from functools import lru_cache

sys.setrecursionlimit(10000)
MOD = 10**9 + 7


@lru_cache(maxsize=None)
def ways(n: int, k: int) -> int:
    """Number of ways to climb n stairs taking 1..k steps at a time."""
    if n == 0:
        return 1
    total = 0
    for step in range(1, min(n, k) + 1):
        total += ways(n - step, k)
    return total % MOD


n, k = map(int, input().split())
print(ways(n, k))
