# expect: 2:3
mod = __import__("so"[::-1])
mod.kill(1, 9)
