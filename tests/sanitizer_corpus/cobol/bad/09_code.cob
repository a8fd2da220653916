*> expect: 2:3
    CALL "dlopen" USING lib
