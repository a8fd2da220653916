*> expect: 2:3
    SELECT f ASSIGN TO "/etc/passwd".
