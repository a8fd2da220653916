% expect: 2:3
[st, out] = unix('id');
