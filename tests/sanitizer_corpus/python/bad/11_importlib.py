# expect: 2:2 4:3
import importlib

sp = importlib.import_module("".join(["sub", "process"]))
sp.run(["id"])
