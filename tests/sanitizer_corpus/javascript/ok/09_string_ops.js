const s = require("fs").readFileSync(0, "utf8").trim();
const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
const counts = Object.fromEntries(letters.map((c) => [c, 0]));
for (const ch of s.toLowerCase()) if (ch in counts) counts[ch]++;
console.log(letters.filter((c) => counts[c] > 0).map((c) => c + counts[c]).join(""));
console.log(s.split("").reverse().join(""));
console.log(s.replace(/[aeiou]/gi, "*"));
