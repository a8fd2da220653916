-- expect: 2:3
SELECT readfile('/var/run/docker.sock');
