import sys


class DSU:
    def __init__(self, n):
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        a, b = self.find(a), self.find(b)
        if a == b:
            return False
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        return True


def main():
    it = iter(sys.stdin.buffer.read().split())
    n, m = int(next(it)), int(next(it))
    edges = sorted((int(next(it)), int(next(it)) - 1, int(next(it)) - 1) for _ in range(m))
    dsu = DSU(n)
    total = 0
    for w, u, v in edges:
        if dsu.union(u, v):
            total += w
    print(total)


main()
