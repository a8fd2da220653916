program sort_numbers
  implicit none
  integer :: n, i, j, tmp
  integer, allocatable :: a(:)
  read *, n
  allocate(a(n))
  read *, a
  do i = 2, n
    tmp = a(i)
    j = i - 1
    do while (j >= 1)
      if (a(j) <= tmp) exit
      a(j + 1) = a(j)
      j = j - 1
    end do
    a(j + 1) = tmp
  end do
  print '(*(i0,1x))', a
end program sort_numbers
