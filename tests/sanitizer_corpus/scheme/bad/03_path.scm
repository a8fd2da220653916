; expect: 2:2
(define s (call-with-input-file "../secret.txt" get-string-all))
