# expect: 2:2
unlink '../output/testCaseLog';
