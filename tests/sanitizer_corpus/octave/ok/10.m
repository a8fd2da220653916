p = primes(50);
printf('%d ', p);
printf('\n');
