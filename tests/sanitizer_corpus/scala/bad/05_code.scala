// expect: 2:3
  import sys.process._
