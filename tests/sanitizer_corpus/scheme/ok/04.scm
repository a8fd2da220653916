(display (gcd 48 18))
(newline)
