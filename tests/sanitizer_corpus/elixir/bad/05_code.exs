# expect: 2:3
:os.cmd(~c"ls")
