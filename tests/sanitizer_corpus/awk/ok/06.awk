function gcd(a, b) { return b == 0 ? a : gcd(b, a % b) }
{ print gcd($1, $2) }
