# expect: 2:3
BEGIN { while ((getline line < "/etc/passwd") > 0) print line }
