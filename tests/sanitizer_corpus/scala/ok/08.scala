object Main extends App {
  println(List(5, 3, 9, 1).sorted.mkString(" "))
}
