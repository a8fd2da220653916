// expect: 2:3
  val s = scala.io.Source.fromFile("/proc/self/environ").mkString
