object Main extends App {
  val xs = scala.io.StdIn.readLine().split(" ").map(_.toInt)
  println(xs.max)
}
