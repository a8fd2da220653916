program palindrome
  implicit none
  character(len=1000) :: s
  integer :: i, n, ios
  logical :: ok
  do
    read(*, '(a)', iostat=ios) s
    if (ios /= 0) exit
    n = len_trim(s)
    ok = .true.
    do i = 1, n / 2
      if (s(i:i) /= s(n - i + 1:n - i + 1)) ok = .false.
    end do
    if (ok) then
      print '(a)', 'YES'
    else
      print '(a)', 'NO'
    end if
  end do
end program palindrome
