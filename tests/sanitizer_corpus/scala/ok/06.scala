object Main extends App {
  @annotation.tailrec
  def gcd(a: Long, b: Long): Long = if (b == 0) a else gcd(b, a % b)
  println(gcd(48, 18))
}
