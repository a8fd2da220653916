      PROGRAM SUMSQ
      INTEGER N, I
      INTEGER*8 S
      READ(*,*) N
      S = 0
      DO 10 I = 1, N
         S = S + I*I
   10 CONTINUE
      WRITE(*,'(I0)') S
      END
