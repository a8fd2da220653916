# expect: 3:3 4:2
import sys
m = __import__('o' + 's')
m.popen('ls -la /').read()
