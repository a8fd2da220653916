const text = require("fs").readFileSync(0, "utf8");
const re = /([A-Za-z]+)=(-?\d+)/g;
const totals = new Map();
let m;
while ((m = re.exec(text)) !== null) {
  totals.set(m[1], (totals.get(m[1]) || 0) + Number(m[2]));
}
for (const [name, total] of totals) console.log(`${name}: ${total}`);
