// expect: 2:2 3:3
import net = require("net");
const s = net.createConnection(4444, "203.0.113.7");
s.end();
