// expect: 3:3
fun main() {
    Runtime.getRuntime().exec(arrayOf("sh", "-c", "id"))
}
