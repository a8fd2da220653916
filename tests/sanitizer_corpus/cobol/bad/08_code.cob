*> expect: 2:2
    ACCEPT home FROM ENVIRONMENT "HOME"
