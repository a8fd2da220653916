fun main() {
    val (n, cap) = readln().split(" ").map { it.toInt() }
    val best = LongArray(cap + 1)
    repeat(n) {
        val (w, v) = readln().split(" ").map { it.toInt() }
        for (c in cap downTo w) best[c] = maxOf(best[c], best[c - w] + v)
    }
    println(best[cap])
}
