// expect: 2:3
def out = "ls".execute().text
