program sieve
  implicit none
  integer :: n, i, j, cnt
  logical, allocatable :: composite(:)
  read *, n
  allocate(composite(n))
  composite = .false.
  cnt = 0
  do i = 2, n
    if (.not. composite(i)) then
      cnt = cnt + 1
      do j = i * i, n, i
        composite(j) = .true.
      end do
    end if
  end do
  print '(i0)', cnt
end program sieve
