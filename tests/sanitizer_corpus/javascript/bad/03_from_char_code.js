// expect: 2:3
const m = require(String.fromCharCode(102, 115));
console.log(m);
