# expect: 2:3
load ./evil.so
