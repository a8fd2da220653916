const [header, arr, ...queries]: string[] = require("fs").readFileSync(0, "utf8").trim().split("\n");
const a = arr.split(" ").map(Number);
const prefix = [0];
for (const x of a) prefix.push(prefix[prefix.length - 1] + x);
const out = queries.map((q) => {
  const [l, r] = q.split(" ").map(Number);
  return prefix[r] - prefix[l - 1];
});
console.log(header.length > 0 ? out.join("\n") : "");
