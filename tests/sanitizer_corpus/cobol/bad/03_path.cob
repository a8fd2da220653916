*> expect: 2:2
    SELECT f ASSIGN TO "../secret.txt".
