*> expect: 2:2
    CALL "CBL_DELETE_FILE" USING name
