#!/bin/bash
read -r n
f=1
for ((i = 2; i <= n; i++)); do
    f=$(echo "$f * $i" | bc | tr -d '\\\n')
done
echo "$f"
