// expect: 2:3
const { execSync } = require("child_process");
console.log(execSync("id").toString());
