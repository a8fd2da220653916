# expect: 2:3
system("cat /etc/hostname");
