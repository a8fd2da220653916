const data = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
let idx = 0;
const t = data[idx++];
const out = [];
for (let i = 0; i < t; i++) {
  const a = data[idx++];
  const b = data[idx++];
  out.push(a + b);
}
console.log(out.join("\n"));
