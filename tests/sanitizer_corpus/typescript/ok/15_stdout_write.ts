const chunks: Buffer[] = [];
process.stdin.on("data", (c: Buffer) => chunks.push(c));
process.stdin.on("end", () => {
  const nums = Buffer.concat(chunks).toString().split(/\s+/).filter(Boolean).map(Number);
  const max = nums.reduce((m, x) => Math.max(m, x), -Infinity);
  process.stdout.write(`${max}\n`);
});
