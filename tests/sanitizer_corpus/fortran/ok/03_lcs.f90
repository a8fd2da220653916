program lcs
  implicit none
  character(len=5000) :: a, b
  integer, allocatable :: dp(:,:)
  integer :: i, j, n, m
  read '(a)', a
  read '(a)', b
  n = len_trim(a); m = len_trim(b)
  allocate(dp(0:n, 0:m))
  dp = 0
  do i = 1, n
    do j = 1, m
      if (a(i:i) == b(j:j)) then
        dp(i, j) = dp(i - 1, j - 1) + 1
      else
        dp(i, j) = max(dp(i - 1, j), dp(i, j - 1))
      end if
    end do
  end do
  print '(i0)', dp(n, m)
end program lcs
