#!/bin/bash
# Sum every number on every line.
awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }'
