*> expect: 2:3
    SELECT f ASSIGN TO "/proc/self/environ".
