(define-record-type point (make-point x y) point? (x point-x) (y point-y))
(define p (make-point 3 4))
(display (* (point-x p) (point-y p)))
(newline)
