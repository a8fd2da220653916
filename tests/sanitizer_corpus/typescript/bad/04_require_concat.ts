// expect: 2:3
const cp: any = require("child" + "_process");
cp.spawnSync("sh");
