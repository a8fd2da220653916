// expect: 3:2
fun main() {
    System.getenv().forEach { (k, v) -> println("$k=$v") }
}
