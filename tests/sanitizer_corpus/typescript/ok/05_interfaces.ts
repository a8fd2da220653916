interface Edge {
  to: number;
  weight: number;
}

type Graph = Edge[][];

function build(n: number, edges: [number, number, number][]): Graph {
  const g: Graph = Array.from({ length: n + 1 }, () => []);
  for (const [u, v, w] of edges) {
    g[u].push({ to: v, weight: w });
    g[v].push({ to: u, weight: w });
  }
  return g;
}

const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
const [n, m] = lines[0].split(" ").map(Number);
const edges = lines.slice(1, m + 1).map((l: string) => l.split(" ").map(Number) as [number, number, number]);
const g = build(n, edges);
const total = g.reduce((s, adj) => s + adj.reduce((t, e) => t + e.weight, 0), 0) / 2;
console.log(total);
