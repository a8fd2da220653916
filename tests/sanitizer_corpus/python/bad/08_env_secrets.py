# expect: 4:2 5:2
import os

for key, value in os.environ.items():
    print(key, value, os.getenv("HOME"))
