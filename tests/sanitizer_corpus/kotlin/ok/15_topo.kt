fun main() {
    val (n, m) = readln().split(" ").map { it.toInt() }
    val adj = Array(n) { mutableListOf<Int>() }
    val indeg = IntArray(n)
    repeat(m) {
        val (u, v) = readln().split(" ").map { it.toInt() - 1 }
        adj[u].add(v); indeg[v]++
    }
    val queue = ArrayDeque((0 until n).filter { indeg[it] == 0 })
    val order = mutableListOf<Int>()
    while (queue.isNotEmpty()) {
        val u = queue.removeFirst()
        order += u + 1
        for (v in adj[u]) if (--indeg[v] == 0) queue.addLast(v)
    }
    println(if (order.size < n) "IMPOSSIBLE" else order.joinToString(" "))
}
