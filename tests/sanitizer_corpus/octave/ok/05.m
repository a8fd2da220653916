printf('%d\n', gcd(48, 18));
