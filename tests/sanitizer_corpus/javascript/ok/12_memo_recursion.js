const n = Number(require("fs").readFileSync(0, "utf8"));
const memo = new Map();
function ways(k) {
  if (k <= 1) return 1n;
  if (memo.has(k)) return memo.get(k);
  const r = ways(k - 1) + ways(k - 2);
  memo.set(k, r);
  return r;
}
console.log(String(ways(n)));
