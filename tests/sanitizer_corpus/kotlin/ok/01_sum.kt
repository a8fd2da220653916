fun main() {
    val t = readln().trim().toInt()
    val out = StringBuilder()
    repeat(t) {
        val (a, b) = readln().split(" ").map { it.toLong() }
        out.appendLine(a + b)
    }
    print(out)
}
