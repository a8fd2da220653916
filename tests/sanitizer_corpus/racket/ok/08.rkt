#lang racket
(displayln (sort (list 5 3 9 1) <))
