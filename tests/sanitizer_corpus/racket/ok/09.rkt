#lang racket
(define h (make-hash))
(for ([w (string-split (port->string (current-input-port)))])
  (hash-update! h w add1 0))
(for ([(k v) h]) (printf "~a ~a\n" k v))
