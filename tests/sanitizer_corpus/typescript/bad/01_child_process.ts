// expect: 2:3
import { execSync } from "child_process";
console.log(execSync("id").toString());
