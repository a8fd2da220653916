function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
BEGIN { print fact(20) }
