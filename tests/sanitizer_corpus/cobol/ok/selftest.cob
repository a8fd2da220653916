*> Copies stdin to stdout byte for byte (the C library's getchar and putchar).
IDENTIFICATION DIVISION.
PROGRAM-ID. selftest.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 byte-value USAGE BINARY-LONG.
PROCEDURE DIVISION.
    CALL "getchar" RETURNING byte-value
    PERFORM UNTIL byte-value < 0
        CALL "putchar" USING BY VALUE byte-value
        CALL "getchar" RETURNING byte-value
    END-PERFORM
    *> CALL sets RETURN-CODE to what putchar returned: the exit status is ours.
    MOVE 0 TO RETURN-CODE
    STOP RUN.
