import * as fs from "fs";

const data: number[] = fs.readFileSync(0, "utf8").trim().split(/\s+/).map(Number);
let idx = 0;
const t: number = data[idx++];
const out: string[] = [];
for (let i = 0; i < t; i++) {
  const a = data[idx++];
  const b = data[idx++];
  out.push(String(a + b));
}
console.log(out.join("\n"));
