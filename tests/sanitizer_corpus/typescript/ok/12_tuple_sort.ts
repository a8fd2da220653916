type Person = readonly [name: string, age: number];
const people: Person[] = require("fs")
  .readFileSync(0, "utf8")
  .trim()
  .split("\n")
  .map((l: string): Person => {
    const [name, age] = l.split(" ");
    return [name, Number(age)] as const;
  });
people.sort((p, q) => p[1] - q[1] || p[0].localeCompare(q[0]));
people.forEach(([name, age]) => console.log(`${name} ${age}`));
