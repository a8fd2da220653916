// expect: 2:2
def h = System.getenv("HOME")
