struct Point
  getter x : Int32, y : Int32

  def initialize(@x, @y)
  end
end

p = Point.new(3, 4)
puts p.x * p.y
