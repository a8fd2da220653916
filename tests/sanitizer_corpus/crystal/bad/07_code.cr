# expect: 2:3
Process.run("ls")
