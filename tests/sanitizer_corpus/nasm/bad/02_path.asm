; expect: 2:3
path:   db      "/etc/passwd", 0
