# expect: 2:2 3:2
env
echo "$API_TOKEN"
