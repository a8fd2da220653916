# expect: 3:3
import sys
run = __builtins__.__dict__["ex" + "ec"]
run("print(1)")
