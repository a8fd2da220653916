// expect: 2:3
const g: any = ({} as any)["constructor"]["constructor"]("return process")();
console.log(g);
