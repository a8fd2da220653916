// expect: 2:2
def s = new File("../secret.txt").text
