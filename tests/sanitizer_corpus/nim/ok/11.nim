type Point = object
  x, y: int

let p = Point(x: 3, y: 4)
echo p.x * p.x + p.y * p.y
