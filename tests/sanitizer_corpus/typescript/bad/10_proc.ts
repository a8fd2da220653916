// expect: 3:3
import * as fs from "fs";
const maps: string = fs.readFileSync("/proc/self/maps", "utf8");
console.log(maps.length);
