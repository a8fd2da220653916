import std/strutils

var s: int64 = 0
for w in stdin.readAll().splitWhitespace():
  s += parseBiggestInt(w)
echo s
