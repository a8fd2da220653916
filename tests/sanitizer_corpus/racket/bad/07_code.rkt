; expect: 2:3
(define-values (i o) (tcp-connect "example.org" 80))
