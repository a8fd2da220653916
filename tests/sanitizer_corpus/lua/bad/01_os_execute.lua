-- expect: 2:3
os.execute("id")
