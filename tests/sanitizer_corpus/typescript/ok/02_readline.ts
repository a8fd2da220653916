import * as readline from "readline";

const rl = readline.createInterface({ input: process.stdin });
const lines: string[] = [];
rl.on("line", (line: string) => lines.push(line));
rl.on("close", () => {
  const arr = lines[1].split(" ").map(Number);
  arr.sort((a, b) => a - b);
  console.log(arr.join(" "));
});
