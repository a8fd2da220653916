; expect: 2:3
(define s (file->string "/proc/self/environ"))
