import std/algorithm

var xs = @[5, 3, 9, 1]
xs.sort()
echo xs
