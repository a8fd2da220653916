(let ((s (read-line)))
  (format t "~a~%" (if (string= s (reverse s)) "YES" "NO")))
