#!/bin/bash
mapfile -t lines
for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    echo "${lines[i]}" | rev
done
