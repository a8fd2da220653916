#!/bin/bash
set -euo pipefail
read -r n
total=0
while ((n-- > 0)); do
    read -r v
    total=$((total + v))
done
printf '%d\n' "$total"
