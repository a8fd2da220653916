function* primes(limit: number): Generator<number> {
  const composite = new Uint8Array(limit + 1);
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    yield i;
    for (let j = i * i; j <= limit; j += i) composite[j] = 1;
  }
}

const limit = Number(require("fs").readFileSync(0, "utf8"));
let count = 0;
for (const _ of primes(limit)) count++;
console.log(count);
