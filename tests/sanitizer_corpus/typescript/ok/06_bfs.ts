const input: string[] = require("fs").readFileSync("/dev/stdin", "utf8").split("\n");
const [r, c] = input[0].split(" ").map(Number);
const grid = input.slice(1, r + 1);
const dist: number[][] = Array.from({ length: r }, () => new Array<number>(c).fill(-1));
const q: Array<[number, number]> = [[0, 0]];
dist[0][0] = 0;
const dirs: ReadonlyArray<[number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1]];
for (let head = 0; head < q.length; head++) {
  const [x, y] = q[head];
  for (const [dx, dy] of dirs) {
    const nx = x + dx, ny = y + dy;
    if (nx < 0 || ny < 0 || nx >= r || ny >= c || grid[nx][ny] === "#" || dist[nx][ny] >= 0) continue;
    dist[nx][ny] = dist[x][y] + 1;
    q.push([nx, ny]);
  }
}
console.log(dist[r - 1][c - 1]);
