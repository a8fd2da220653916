object Main extends App {
  def fib(n: Int): Long = if (n < 2) n else fib(n - 1) + fib(n - 2)
  println(fib(30))
}
