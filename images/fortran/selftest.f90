program selftest
  implicit none
  character(len=4096) :: chunk
  integer :: ios, n

  do
    read (*, '(A)', advance='no', iostat=ios, size=n) chunk
    if (is_iostat_end(ios)) exit
    write (*, '(A)', advance='no') chunk(1:n)
    if (is_iostat_eor(ios)) then
      write (*, '(A)') ''
    else if (ios /= 0) then
      error stop 'read error'
    end if
  end do
end program selftest
