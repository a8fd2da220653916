# expect: 3:3
n = gets.to_i
system("cat /etc/hostname")
