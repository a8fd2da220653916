(use-modules (ice-9 rdelim))
(define s (read-line))
(display (if (string=? s (string-reverse s)) "YES" "NO"))
(newline)
