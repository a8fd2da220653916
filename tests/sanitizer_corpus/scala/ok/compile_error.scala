object Main {
  def main(args: Array[String]): Unit = println(undefined_thing)
}
