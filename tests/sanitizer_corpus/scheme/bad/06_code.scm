; expect: 2:3
(define pid (primitive-fork))
