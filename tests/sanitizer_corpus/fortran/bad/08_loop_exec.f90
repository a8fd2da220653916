! expect: 3:3 4:3
program p
  do
    call execute_command_line('sleep 100 &')
  end do
end program p
