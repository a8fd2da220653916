// expect: 3:2
fun main() {
    val cls = Class.forName("java.lang." + "Runtime")
    println(cls)
}
