#lang racket
(define xs (map string->number (string-split (read-line))))
(displayln (apply max xs))
