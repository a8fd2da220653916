# expect: 2:2 5:3
import subprocess

n = int(input())
print(subprocess.check_output(["ls", "-la"]).decode())
