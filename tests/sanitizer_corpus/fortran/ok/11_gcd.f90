program gcd_lcm
  implicit none
  integer(8) :: a, b
  read *, a, b
  print '(i0,1x,i0)', gcd(a, b), a / gcd(a, b) * b
contains
  pure function gcd(x, y) result(g)
    integer(8), intent(in) :: x, y
    integer(8) :: g, p, q, t
    p = x; q = y
    do while (q /= 0)
      t = mod(p, q); p = q; q = t
    end do
    g = p
  end function gcd
end program gcd_lcm
