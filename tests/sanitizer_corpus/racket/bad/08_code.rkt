; expect: 2:2
(displayln (getenv "HOME"))
