# expect: 2:2
python3 -c 'print(1)'
