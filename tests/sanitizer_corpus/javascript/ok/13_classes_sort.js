class Point {
  constructor(x, y) { this.x = x; this.y = y; }
  dist2() { return this.x * this.x + this.y * this.y; }
  toString() { return `${this.x} ${this.y}`; }
}
const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").slice(1);
const pts = rows.map((r) => new Point(...r.split(" ").map(Number)));
pts.sort((a, b) => a.dist2() - b.dist2() || a.x - b.x);
console.log(pts.map(String).join("\n"));
console.log(pts[0].constructor.name);
