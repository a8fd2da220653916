! expect: 4:2
program p
  character(len=200) :: v
  call get_environment_variable('HOME', v)
  print *, trim(v)
end program p
