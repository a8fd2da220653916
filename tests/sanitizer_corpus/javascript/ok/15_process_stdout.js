const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const words = Buffer.concat(chunks).toString("utf8").split(/\s+/).filter(Boolean);
  const freq = {};
  for (const w of words) freq[w] = (freq[w] || 0) + 1;
  const keys = Object.keys(freq).sort();
  process.stdout.write(keys.map((k) => `${k} ${freq[k]}`).join("\n") + "\n");
  process.exitCode = 0;
});
