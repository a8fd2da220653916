{ expect: 2:2 4:3 }
USES UNIX;
BEGIN
  FPSYSTEM('id');
END.
