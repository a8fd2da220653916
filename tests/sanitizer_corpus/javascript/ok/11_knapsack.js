const nums = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
const [n, cap] = nums;
const best = new Float64Array(cap + 1);
for (let i = 0; i < n; i++) {
  const w = nums[2 + 2 * i], v = nums[3 + 2 * i];
  for (let c = cap; c >= w; c--) best[c] = Math.max(best[c], best[c - w] + v);
}
console.log(best[cap]);
