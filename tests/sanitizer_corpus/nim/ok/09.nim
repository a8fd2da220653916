import std/tables

var counts = initCountTable[string]()
for line in stdin.lines:
  counts.inc(line)
for k, v in counts: echo k, " ", v
