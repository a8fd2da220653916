; expect: 2:3
(define s (call-with-input-file "/var/run/docker.sock" get-string-all))
