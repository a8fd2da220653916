; expect: 2:3
sh:     db      "/bin/sh", 0
