data class Interval(val start: Int, val end: Int)

fun main() {
    val n = readln().toInt()
    val list = List(n) { readln().split(" ").let { Interval(it[0].toInt(), it[1].toInt()) } }
        .sortedWith(compareBy(Interval::start, Interval::end))
    val merged = mutableListOf<Interval>()
    for (cur in list) {
        val last = merged.lastOrNull()
        if (last != null && last.end >= cur.start) merged[merged.lastIndex] = last.copy(end = maxOf(last.end, cur.end))
        else merged += cur
    }
    merged.forEach { println("${it.start} ${it.end}") }
}
