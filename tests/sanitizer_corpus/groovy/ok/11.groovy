class Point { int x; int y }
def p = new Point(x: 3, y: 4)
println p.x * p.y
