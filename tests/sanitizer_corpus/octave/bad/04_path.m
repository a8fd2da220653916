% expect: 2:3
s = fileread('/var/run/docker.sock');
