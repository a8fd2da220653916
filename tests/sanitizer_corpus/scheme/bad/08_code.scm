; expect: 2:2
(display (getenv "HOME"))
