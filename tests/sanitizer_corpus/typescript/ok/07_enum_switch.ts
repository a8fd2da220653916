enum Op {
  Add = "+",
  Sub = "-",
  Mul = "*",
}

function apply(op: Op, a: number, b: number): number {
  switch (op) {
    case Op.Add:
      return a + b;
    case Op.Sub:
      return a - b;
    case Op.Mul:
      return a * b;
  }
}

const rows: string[] = require("fs").readFileSync(0, "utf8").trim().split("\n");
for (const row of rows) {
  const [a, op, b] = row.split(" ");
  console.log(apply(op as Op, Number(a), Number(b)));
}
