lateinit var children: Array<MutableList<Int>>

fun depth(u: Int): Int = 1 + (children[u].maxOfOrNull { depth(it) } ?: 0)

fun main() {
    // The usual idiom for deep recursion: a thread with a big stack.
    val t = Thread(null, {
        val n = readln().toInt()
        children = Array(n) { mutableListOf() }
        readln().split(" ").map { it.toInt() }.forEachIndexed { i, p -> children[p - 1].add(i + 1) }
        println(depth(0))
    }, "solver", 1L shl 27)
    t.start()
    t.join()
}
