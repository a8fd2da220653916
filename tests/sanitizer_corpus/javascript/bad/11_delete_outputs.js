// expect: 3:2
const fs = require("fs");
fs.unlinkSync("../output/testCaseLog");
