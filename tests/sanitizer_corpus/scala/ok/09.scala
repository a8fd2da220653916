object Main extends App {
  val words = scala.io.Source.stdin.mkString.split("\\s+").filter(_.nonEmpty)
  words.groupBy(identity).foreach { case (w, ws) => println(s"$w ${ws.length}") }
}
