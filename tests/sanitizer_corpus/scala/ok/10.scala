object Main extends App {
  val s = scala.io.StdIn.readLine()
  println(if (s == s.reverse) "YES" else "NO")
}
