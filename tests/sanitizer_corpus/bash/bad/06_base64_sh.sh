# expect: 2:3
echo aWQK | base64 -d | sh
