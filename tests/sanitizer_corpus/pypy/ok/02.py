xs = list(map(int, input().split()))
print(max(xs))
