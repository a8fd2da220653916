-- expect: 2:3
SELECT readfile('/proc/self/environ');
