\ expect: 2:3
s" /etc/passwd" r/o open-file throw
