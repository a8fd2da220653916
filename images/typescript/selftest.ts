import * as fs from "fs";

const data: Buffer = fs.readFileSync(0);
process.stdout.write(data);
