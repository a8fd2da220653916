// expect: 2:3
  val t = scala.tools.reflect.ToolBox
