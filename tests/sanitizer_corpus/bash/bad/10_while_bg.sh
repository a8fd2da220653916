# expect: 2:3
while true; do sleep 100 & done
