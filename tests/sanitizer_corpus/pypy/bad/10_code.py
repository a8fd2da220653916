# expect: 2:2
h = os.environ["HOME"]
