#lang racket
(struct point (x y))
(define p (point 3 4))
(displayln (* (point-x p) (point-y p)))
