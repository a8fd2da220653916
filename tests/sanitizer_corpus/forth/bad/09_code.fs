\ expect: 2:2
s" x" delete-file throw
