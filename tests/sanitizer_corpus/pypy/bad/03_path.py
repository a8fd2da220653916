# expect: 2:2
data = open("../secret.txt").read()
