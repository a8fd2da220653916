% expect: 2:3
s = fileread('/etc/passwd');
