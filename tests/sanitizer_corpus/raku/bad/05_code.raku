# expect: 2:3
run "ls";
