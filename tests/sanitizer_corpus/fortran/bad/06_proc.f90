! expect: 4:3
program p
  character(len=200) :: line
  open(10, file='/proc/self/status')
  read(10, '(a)') line
end program p
