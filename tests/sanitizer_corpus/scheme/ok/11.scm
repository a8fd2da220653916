(define v (make-vector 5 0))
(vector-set! v 2 7)
(display v)
(newline)
