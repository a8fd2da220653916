// expect: 2:3 3:3
const { fork } = require("child_process");
while (true) fork(__filename);
