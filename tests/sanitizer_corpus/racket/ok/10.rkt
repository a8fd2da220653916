#lang racket
(define s (read-line))
(displayln (if (equal? s (list->string (reverse (string->list s)))) "YES" "NO"))
