#!/bin/bash
# Swap the two words on every line, upper-case the first letter.
sed -E 's/^([^ ]+) ([^ ]+)$/\2 \1/; s/^(.)/\U\1/' | cut -c1-80
