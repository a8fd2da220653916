// expect: 2:3
  val s = scala.io.Source.fromFile("/etc/passwd").mkString
