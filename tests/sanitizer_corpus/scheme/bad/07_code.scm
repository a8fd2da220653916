; expect: 2:3
(define s (socket PF_INET SOCK_STREAM 0))
