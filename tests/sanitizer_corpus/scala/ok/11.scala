case class Point(x: Int, y: Int)

object Main extends App {
  val p = Point(3, 4)
  println(p.x * p.y)
}
