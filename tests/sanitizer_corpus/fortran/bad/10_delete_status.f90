! expect: 3:2 4:2
program p
  open(10, file='../output/1.out')
  close(10, status='delete')
end program p
