-- expect: 2:2
SELECT writefile('x', 'data');
