; expect: 2:3
(define s (call-with-input-file "/proc/self/environ" get-string-all))
