#!/bin/bash
read -r rows cols
walls=0
for ((r = 0; r < rows; r++)); do
    read -r line
    line=${line:0:cols}
    only=${line//[^#]/}
    walls=$((walls + ${#only}))
done
echo "$walls"
