(format t "~d~%" (gcd 48 18))
