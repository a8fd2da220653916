program points
  implicit none
  type :: point
    real(8) :: x, y
  end type point
  type(point), allocatable :: pts(:)
  integer :: n, i
  read *, n
  allocate(pts(n))
  do i = 1, n
    read *, pts(i)%x, pts(i)%y
  end do
  print '(f0.3)', maxval(sqrt(pts%x**2 + pts%y**2))
end program points
