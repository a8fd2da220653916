; expect: 2:2
        int     0x80
