; expect: 2:3
        incbin  "secret.txt"
