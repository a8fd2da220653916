fun main() {
    val (n, q) = readln().split(" ").map { it.toInt() }
    val a = readln().split(" ").map { it.toLong() }.sorted()
    val sb = StringBuilder()
    repeat(q) {
        val x = readln().trim().toLong()
        var lo = 0
        var hi = n
        while (lo < hi) {
            val mid = (lo + hi) ushr 1
            if (a[mid] < x) lo = mid + 1 else hi = mid
        }
        sb.appendLine(lo)
    }
    print(sb)
}
