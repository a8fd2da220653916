from collections import defaultdict, deque
import sys


def topo_order(n, edges):
    indeg = [0] * n
    graph = defaultdict(list)
    for u, v in edges:
        graph[u].append(v)
        indeg[v] += 1
    queue = deque(i for i in range(n) if indeg[i] == 0)
    order = []
    while queue:
        u = queue.popleft()
        order.append(u)
        for v in graph[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)
    return order if len(order) == n else None


lines = sys.stdin.read().strip().split("\n")
n, m = map(int, lines[0].split())
edges = [tuple(int(x) - 1 for x in line.split()) for line in lines[1 : m + 1]]
order = topo_order(n, edges)
print("IMPOSSIBLE" if order is None else " ".join(str(x + 1) for x in order))
