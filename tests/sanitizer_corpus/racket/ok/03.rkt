#lang racket
(for ([line (in-lines)])
  (displayln (string-upcase line)))
