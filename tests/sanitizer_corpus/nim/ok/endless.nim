var n = 0
while true:
  inc n
