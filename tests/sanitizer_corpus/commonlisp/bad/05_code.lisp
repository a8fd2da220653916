; expect: 2:3
(sb-ext:run-program "/bin/ls" nil :output t)
