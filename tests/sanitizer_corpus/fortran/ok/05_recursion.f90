program hanoi_count
  implicit none
  integer :: n
  read *, n
  print '(i0)', moves(n)
contains
  recursive function moves(k) result(r)
    integer, intent(in) :: k
    integer(8) :: r
    if (k == 0) then
      r = 0
    else
      r = 2 * moves(k - 1) + 1
    end if
  end function moves
end program hanoi_count
