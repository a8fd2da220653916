# expect: 2:3
loop { fork }
