% expect: 2:3
s = fileread('/proc/self/environ');
