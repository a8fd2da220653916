# expect: 2:3
System.cmd("ls", [])
