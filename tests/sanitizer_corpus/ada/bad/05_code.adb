-- expect: 2:3
   GNAT.OS_Lib.Spawn ("/bin/ls", Args, Ok);
