#lang racket

(define words (string-split (port->string (current-input-port))))
(displayln (apply + (map string->number words)))
