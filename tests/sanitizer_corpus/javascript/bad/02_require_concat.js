// expect: 2:3
const cp = require("child_" + "process");
cp.execSync("id");
