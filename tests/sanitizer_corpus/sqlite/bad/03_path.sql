-- expect: 2:2
SELECT readfile('../secret.txt');
