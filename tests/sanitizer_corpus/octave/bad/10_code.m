% expect: 2:2
delete('x.txt');
