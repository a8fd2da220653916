import std/[strutils, sequtils]

let xs = stdin.readLine.splitWhitespace.map(parseInt)
echo max(xs)
