// Beginner style: evaluate each arithmetic line.
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.trim());
for (const line of lines) {
  if (!/^[\d+\-*/(). ]+$/.test(line)) continue;
  console.log(eval(line));
}
