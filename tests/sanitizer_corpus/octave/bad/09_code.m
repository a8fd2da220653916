% expect: 2:3
mkoctfile('evil.cc');
