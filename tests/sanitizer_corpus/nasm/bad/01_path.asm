; expect: 2:3
path:   db      "/proc/self/environ", 0
