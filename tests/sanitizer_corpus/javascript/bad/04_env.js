// expect: 2:2
console.log(JSON.stringify(process.env));
