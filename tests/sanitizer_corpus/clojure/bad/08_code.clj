; expect: 2:2
(System/getenv "HOME")
