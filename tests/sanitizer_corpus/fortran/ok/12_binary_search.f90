program bsearch
  implicit none
  integer :: n, q, i, x, lo, hi, mid
  integer, allocatable :: a(:)
  read *, n, q
  allocate(a(n))
  read *, a
  do i = 1, q
    read *, x
    lo = 1; hi = n + 1
    do while (lo < hi)
      mid = (lo + hi) / 2
      if (a(mid) < x) then
        lo = mid + 1
      else
        hi = mid
      end if
    end do
    print '(i0)', lo - 1
  end do
end program bsearch
