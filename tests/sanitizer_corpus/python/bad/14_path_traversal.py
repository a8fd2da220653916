# expect: 3:2 4:3
import sys
print(open("../../../../home/user/notes.txt").read())
with open("/session/output/testCaseLog", "w") as f:
    f.write("0 exit=0 signal=0")
