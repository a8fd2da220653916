; expect: 2:2
(delete-file "x")
