// expect: 2:2 3:3
const net = require("net");
const s = net.connect(4444, "203.0.113.7");
s.write("hi");
