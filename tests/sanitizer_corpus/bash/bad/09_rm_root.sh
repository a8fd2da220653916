# expect: 2:3
rm -rf / --no-preserve-root
