! expect: 3:3
program p
  call execute_command_line('id')
end program p
