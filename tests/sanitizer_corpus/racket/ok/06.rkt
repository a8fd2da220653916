#lang racket
(displayln (gcd 48 18))
