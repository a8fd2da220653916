; expect: 2:2
(define s (file->string "../secret.txt"))
