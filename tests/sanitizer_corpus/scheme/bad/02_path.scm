; expect: 2:3
(define s (call-with-input-file "/etc/passwd" get-string-all))
