#!/usr/bin/env bash
read -r n
read -r -a arr
printf '%s\n' "${arr[@]:0:n}" | sort -n | paste -sd' '
