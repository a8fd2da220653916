*> expect: 2:3
    CALL "socket" USING BY VALUE 2
