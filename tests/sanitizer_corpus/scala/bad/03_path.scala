// expect: 2:2
  val s = scala.io.Source.fromFile("../secret.txt").mkString
