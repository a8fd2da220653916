module geometry
  implicit none
  real(8), parameter :: pi = 4.0d0 * atan(1.0d0)
contains
  pure function circle_area(r) result(a)
    real(8), intent(in) :: r
    real(8) :: a
    a = pi * r * r
  end function circle_area
end module geometry

program areas
  use geometry
  implicit none
  real(8) :: r
  integer :: ios
  do
    read(*, *, iostat=ios) r
    if (ios /= 0) exit
    print '(f0.6)', circle_area(r)
  end do
end program areas
