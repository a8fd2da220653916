import std/strutils

let s = stdin.readLine.strip
var r = ""
for i in countdown(s.high, 0): r.add s[i]
echo r
