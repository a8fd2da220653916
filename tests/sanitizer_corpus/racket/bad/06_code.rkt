; expect: 2:3
(define-values (sp out in err) (subprocess #f #f #f "/bin/ls"))
