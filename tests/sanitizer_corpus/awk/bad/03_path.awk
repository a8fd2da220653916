# expect: 2:2
BEGIN { while ((getline line < "../secret.txt") > 0) print line }
