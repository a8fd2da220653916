(define (max-list xs) (apply max xs))
(display (max-list (list 3 8 2)))
(newline)
