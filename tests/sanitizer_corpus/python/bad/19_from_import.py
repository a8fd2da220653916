# expect: 2:3
from os import system, popen
system("id")
