# expect: 2:3
kill -9 -1
