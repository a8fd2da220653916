// expect: 2:2
const f = new Function("a", "return a * 2");
console.log(f(21));
