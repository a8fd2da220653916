#!/bin/bash
gcd() {
    local a=$1 b=$2
    if ((b == 0)); then
        echo "$a"
    else
        gcd "$b" $((a % b))
    fi
}
while read -r x y; do
    [[ -z $x ]] && continue
    echo "$(gcd "$x" "$y")"
done
