# expect: 2:3
sudo id
