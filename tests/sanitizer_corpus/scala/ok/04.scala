object Main extends App {
  def fact(n: Int): BigInt = if (n <= 1) 1 else n * fact(n - 1)
  println(fact(30))
}
