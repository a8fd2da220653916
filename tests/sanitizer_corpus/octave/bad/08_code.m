% expect: 2:2
h = getenv('HOME');
