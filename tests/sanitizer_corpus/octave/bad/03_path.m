% expect: 2:2
s = fileread('../secret.txt');
