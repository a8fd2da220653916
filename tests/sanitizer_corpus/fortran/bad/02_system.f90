! expect: 3:3
program p
  call system('cat /etc/hostname')
end program p
