// expect: 2:3
def page = "http://example.org".toURL().text
