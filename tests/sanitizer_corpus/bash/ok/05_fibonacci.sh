#!/bin/bash
read -r n
a=0
b=1
for ((i = 0; i < n; i++)); do
    t=$(((a + b) % 1000000007))
    a=$b
    b=$t
done
echo "$a"
