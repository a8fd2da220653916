// expect: 2:3
const r = process.mainModule.require;
console.log(r);
