# expect: 2:3
import os; os.system("ls")
