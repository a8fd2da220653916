const input = require("fs").readFileSync(0, "utf8").split(/\s+/).map(Number);
let p = 0;
const n = input[p++], q = input[p++];
const parent = Int32Array.from({ length: n + 1 }, (_, i) => i);
const find = (x) => {
  while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
  return x;
};
const out = [];
for (let i = 0; i < q; i++) {
  const t = input[p++], a = input[p++], b = input[p++];
  if (t === 0) parent[find(a)] = find(b);
  else out.push(find(a) === find(b) ? "YES" : "NO");
}
console.log(out.join("\n"));
