const text: string = require("fs").readFileSync(0, "utf8");
const counts = new Map<string, number>();
for (const w of text.toLowerCase().match(/[a-z']+/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
const top = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, 5);
console.log(top.map(([w, c]) => `${w} ${c}`).join("\n"));
