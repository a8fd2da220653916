// expect: 2:3
def p = new ProcessBuilder("ls").start()
