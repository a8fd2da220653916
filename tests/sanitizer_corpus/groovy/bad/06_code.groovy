// expect: 2:3
def r = Runtime.getRuntime().exec("ls")
