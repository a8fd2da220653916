#!/bin/bash
declare -A count
while read -r word; do
    [[ -n $word ]] && count[$word]=$((${count[$word]:-0} + 1))
done
for w in "${!count[@]}"; do
    echo "$w ${count[$w]}"
done | sort
