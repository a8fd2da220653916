% expect: 2:3
s = urlread('http://example.org');
