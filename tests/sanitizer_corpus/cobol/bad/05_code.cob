*> expect: 2:3
    CALL "SYSTEM" USING "ls"
