# expect: 3:3
import os
os.system("cat /etc/hostname; id")
