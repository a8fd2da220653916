class MinHeap {
  constructor() { this.a = []; }
  push(x) {
    const a = this.a; a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p][0] <= a[i][0]) break;
      [a[p], a[i]] = [a[i], a[p]]; i = p;
    }
  }
  pop() {
    const a = this.a; const top = a[0]; const last = a.pop();
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l][0] < a[m][0]) m = l;
        if (r < a.length && a[r][0] < a[m][0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]]; i = m;
      }
    }
    return top;
  }
  get size() { return this.a.length; }
}

const tokens = require("fs").readFileSync(0, "utf8").split(/\s+/).filter(Boolean).map(Number);
let k = 0;
const n = tokens[k++], m = tokens[k++];
const g = Array.from({ length: n + 1 }, () => []);
for (let i = 0; i < m; i++) {
  const u = tokens[k++], v = tokens[k++], w = tokens[k++];
  g[u].push([v, w]); g[v].push([u, w]);
}
const dist = new Array(n + 1).fill(Infinity);
dist[1] = 0;
const h = new MinHeap();
h.push([0, 1]);
while (h.size) {
  const [d, u] = h.pop();
  if (d > dist[u]) continue;
  for (const [v, w] of g[u]) if (d + w < dist[v]) { dist[v] = d + w; h.push([dist[v], v]); }
}
console.log(dist.slice(1).map((d) => (d === Infinity ? -1 : d)).join(" "));
