# expect: 2:3
BEGIN { while ((getline line < "/proc/self/environ") > 0) print line }
