import sys


class SegTree:
    def __init__(self, data, func=min, default=float("inf")):
        self._func = func
        self._default = default
        self._size = 1 << (len(data) - 1).bit_length()
        self.tree = [default] * (2 * self._size)
        self.tree[self._size : self._size + len(data)] = data
        for i in reversed(range(1, self._size)):
            self.tree[i] = func(self.tree[2 * i], self.tree[2 * i + 1])

    def update(self, idx, value):
        idx += self._size
        self.tree[idx] = value
        idx >>= 1
        while idx:
            self.tree[idx] = self._func(self.tree[2 * idx], self.tree[2 * idx + 1])
            idx >>= 1

    def query(self, lo, hi):
        res_left = res_right = self._default
        lo += self._size
        hi += self._size
        while lo < hi:
            if lo & 1:
                res_left = self._func(res_left, self.tree[lo])
                lo += 1
            if hi & 1:
                hi -= 1
                res_right = self._func(self.tree[hi], res_right)
            lo >>= 1
            hi >>= 1
        return self._func(res_left, res_right)


data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
seg = SegTree([int(x) for x in data[2 : 2 + n]])
pos = 2 + n
out = []
for _ in range(q):
    kind, a, b = data[pos], int(data[pos + 1]), int(data[pos + 2])
    pos += 3
    if kind == "1":
        seg.update(a - 1, b)
    else:
        out.append(seg.query(a - 1, b))
print("\n".join(map(str, out)))
