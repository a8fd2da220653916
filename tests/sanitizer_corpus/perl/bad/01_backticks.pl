# expect: 2:3
print `id`;
