program prefix
  implicit none
  integer :: n, q, i, l, r
  integer(8), allocatable :: a(:), p(:)
  read *, n, q
  allocate(a(n), p(0:n))
  read *, a
  p(0) = 0
  do i = 1, n
    p(i) = p(i - 1) + a(i)
  end do
  do i = 1, q
    read *, l, r
    print '(i0)', p(r) - p(l - 1)
  end do
end program prefix
