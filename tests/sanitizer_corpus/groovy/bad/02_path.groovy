// expect: 2:3
def s = new File("/etc/passwd").text
