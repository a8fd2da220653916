import std/[math, strutils]

let p = stdin.readLine.splitWhitespace
echo gcd(parseInt(p[0]), parseInt(p[1]))
