# expect: 4:3 5:3
import os

while True:
    os.fork()
