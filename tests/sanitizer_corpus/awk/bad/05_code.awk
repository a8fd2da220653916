# expect: 2:3
BEGIN { system("ls") }
