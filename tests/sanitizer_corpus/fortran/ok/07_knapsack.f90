program knapsack
  implicit none
  integer :: n, cap, i, c, w
  integer(8) :: v
  integer(8), allocatable :: best(:)
  read *, n, cap
  allocate(best(0:cap))
  best = 0
  do i = 1, n
    read *, w, v
    do c = cap, w, -1
      best(c) = max(best(c), best(c - w) + v)
    end do
  end do
  print '(i0)', best(cap)
end program knapsack
