// expect: 3:3
import { readFileSync } from "fs";
console.log(readFileSync("/etc/passwd", "utf8"));
