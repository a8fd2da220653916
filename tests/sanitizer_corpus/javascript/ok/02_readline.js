const readline = require("readline");
const rl = readline.createInterface({ input: process.stdin });
const lines = [];
rl.on("line", (line) => lines.push(line));
rl.on("close", () => {
  const n = parseInt(lines[0], 10);
  const arr = lines[1].split(" ").map(Number).slice(0, n);
  arr.sort((a, b) => a - b);
  console.log(arr.join(" "));
  console.log(arr.reduce((s, x) => s + x, 0));
});
