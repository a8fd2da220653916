# expect: 2:3 3:3
cat /etc/shadow
cat /proc/1/environ
