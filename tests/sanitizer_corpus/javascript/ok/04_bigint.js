const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
const n = BigInt(lines[0]);
let f = 1n;
for (let i = 2n; i <= n; i++) f *= i;
console.log(f.toString());
const MOD = 1000000007n;
let p = 1n, base = 2n, e = n;
while (e > 0n) {
  if (e & 1n) p = (p * base) % MOD;
  base = (base * base) % MOD;
  e >>= 1n;
}
console.log(p.toString());
