// expect: 2:3
  val p = new ProcessBuilder("ls").start()
