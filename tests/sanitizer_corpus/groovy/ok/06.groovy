def gcd(a, b) { b == 0 ? a : gcd(b, a % b) }
println gcd(48, 18)
