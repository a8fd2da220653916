printf('%d\n', factorial(20));
