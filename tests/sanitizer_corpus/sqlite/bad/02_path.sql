-- expect: 2:3
SELECT readfile('/etc/passwd');
