# expect: 2:2
BEGIN { print ENVIRON["HOME"] }
