object Main extends App {
  for (line <- scala.io.Source.stdin.getLines()) println(line.toUpperCase)
}
