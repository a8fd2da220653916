! expect: 3:2
program p
  call unlink('../output/testCaseLog')
end program p
