#!/bin/bash
while IFS= read -r s; do
    clean=$(echo "$s" | tr -cd '[:alnum:]' | tr '[:upper:]' '[:lower:]')
    if [[ $clean == "$(echo "$clean" | rev)" ]]; then
        echo YES
    else
        echo NO
    fi
done
