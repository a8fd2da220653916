*> expect: 2:3
    CALL 'system' USING cmd
