"use strict";
const fs = require("fs");
const input = fs.readFileSync("/dev/stdin", "utf8").split("\n");
const [n, m] = input[0].split(" ").map(Number);
const grid = input.slice(1, n + 1);
let walls = 0;
for (const row of grid) for (const ch of row.slice(0, m)) if (ch === "#") walls++;
fs.writeFileSync("/dev/stdout", `${walls}\n`);
