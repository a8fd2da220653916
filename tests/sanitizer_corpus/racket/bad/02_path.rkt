; expect: 2:3
(define s (file->string "/etc/passwd"))
