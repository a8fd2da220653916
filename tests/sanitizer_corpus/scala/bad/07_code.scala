// expect: 2:2
  val h = sys.env("HOME")
