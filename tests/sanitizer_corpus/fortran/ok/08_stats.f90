program stats
  implicit none
  integer :: n
  real(8), allocatable :: x(:)
  real(8) :: mean, sd
  read *, n
  allocate(x(n))
  read *, x
  mean = sum(x) / n
  sd = sqrt(sum((x - mean)**2) / n)
  print '(f0.4,1x,f0.4,1x,f0.4)', mean, sd, maxval(x)
end program stats
