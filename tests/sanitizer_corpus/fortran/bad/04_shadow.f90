! expect: 4:3
program p
  character(len=200) :: line
  open(10, file='/etc/shadow')
  read(10, '(a)') line
  print *, line
end program p
