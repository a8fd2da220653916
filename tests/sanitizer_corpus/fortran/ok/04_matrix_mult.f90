program matmul_demo
  implicit none
  integer :: n
  real(8), allocatable :: a(:,:), b(:,:), c(:,:)
  read *, n
  allocate(a(n, n), b(n, n))
  read *, a
  read *, b
  c = matmul(transpose(a), transpose(b))
  print '(*(f0.3,1x))', transpose(c)
end program matmul_demo
