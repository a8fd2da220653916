// expect: 2:3
  val out = "ls".!!
