\ expect: 2:3
s" /proc/self/environ" r/o open-file throw
