# expect: 4:3 6:2
import sys

import os; os.popen("id")
x = 1
print(os.environ)
