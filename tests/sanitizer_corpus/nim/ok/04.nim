proc fact(n: int): int =
  if n <= 1: 1 else: n * fact(n - 1)

echo fact(20)
