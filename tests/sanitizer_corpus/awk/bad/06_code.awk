# expect: 2:3
BEGIN { "ls" | getline x; print x }
