const MOD = 1000000007n;
const mul = (a, b) =>
  a.map((row, i) => b[0].map((_, j) => row.reduce((s, _v, k) => (s + a[i][k] * b[k][j]) % MOD, 0n)));
let e = BigInt(require("fs").readFileSync(0, "utf8").trim());
let result = [[1n, 0n], [0n, 1n]];
let base = [[1n, 1n], [1n, 0n]];
while (e > 0n) {
  if (e & 1n) result = mul(result, base);
  base = mul(base, base);
  e >>= 1n;
}
console.log(result[0][1].toString());
