; expect: 2:2
(print (sb-ext:posix-getenv "HOME"))
