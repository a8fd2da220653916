\ expect: 2:2
s" ../secret.txt" r/o open-file throw
