! expect: 3:2 5:2
program p
  use iso_c_binding
  interface
    integer(c_int) function csystem(cmd) bind(c, name='system')
      import :: c_int, c_char
      character(kind=c_char) :: cmd(*)
    end function
  end interface
  print *, csystem('id' // c_null_char)
end program p
