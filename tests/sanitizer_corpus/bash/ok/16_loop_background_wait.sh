#!/bin/bash
# Two independent sums in parallel, then wait for both.
read -r -a xs
sum_even() { local s=0; for x in "${xs[@]}"; do ((x % 2 == 0)) && s=$((s + x)); done; echo "$s" > even.txt; }
sum_odd() { local s=0; for x in "${xs[@]}"; do ((x % 2)) && s=$((s + x)); done; echo "$s" > odd.txt; }
sum_even &
sum_odd &
wait
echo "$(cat even.txt) $(cat odd.txt)"
