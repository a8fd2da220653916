const lines = require("fs").readFileSync(0, "utf8").split("\n");
const [n, m] = lines[0].split(" ").map(Number);
const adj = Array.from({ length: n + 1 }, () => []);
for (let i = 1; i <= m; i++) {
  const [u, v] = lines[i].split(" ").map(Number);
  adj[u].push(v); adj[v].push(u);
}
const dist = new Array(n + 1).fill(-1);
const queue = [1];
dist[1] = 0;
for (let head = 0; head < queue.length; head++) {
  const u = queue[head];
  for (const v of adj[u]) if (dist[v] < 0) { dist[v] = dist[u] + 1; queue.push(v); }
}
console.log(dist[n]);
