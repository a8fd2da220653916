#!/bin/bash
read -r n q
read -r -a a
IFS=$'\n' sorted=($(printf '%s\n' "${a[@]}" | sort -n))
unset IFS
for ((k = 0; k < q; k++)); do
    read -r x
    lo=0
    hi=$n
    while ((lo < hi)); do
        mid=$(((lo + hi) / 2))
        if ((sorted[mid] < x)); then lo=$((mid + 1)); else hi=$mid; fi
    done
    echo "$lo"
done
