// expect: 2:3
  val s = new java.net.Socket("example.org", 80)
