import sys
import threading

sys.setrecursionlimit(1 << 25)
threading.stack_size(1 << 27)


def main():
    n = int(sys.stdin.readline())
    children = [[] for _ in range(n)]
    parents = list(map(int, sys.stdin.readline().split()))
    for child, parent in enumerate(parents, start=1):
        children[parent - 1].append(child)
    depth = [0] * n

    def dfs(u, d):
        depth[u] = d
        for v in children[u]:
            dfs(v, d + 1)

    dfs(0, 0)
    print(max(depth))


t = threading.Thread(target=main)
t.start()
t.join()
