class DSU {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): boolean {
    const [x, y] = [this.find(a), this.find(b)];
    if (x === y) return false;
    this.parent[x] = y;
    return true;
  }
}

const tokens: number[] = require("fs").readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
const [n, m] = tokens;
const dsu = new DSU(n + 1);
let comps = n;
for (let i = 0; i < m; i++) if (dsu.union(tokens[2 + 2 * i], tokens[3 + 2 * i])) comps--;
console.log(comps);
