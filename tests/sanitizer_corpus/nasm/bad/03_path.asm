; expect: 2:2
path:   db      "../secret.txt", 0
