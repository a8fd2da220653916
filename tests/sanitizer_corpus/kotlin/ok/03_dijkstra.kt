import java.util.PriorityQueue

fun main() {
    val (n, m) = readln().split(" ").map { it.toInt() }
    val g = Array(n + 1) { mutableListOf<Pair<Int, Long>>() }
    repeat(m) {
        val (u, v, w) = readln().split(" ").map { it.toInt() }
        g[u].add(v to w.toLong())
        g[v].add(u to w.toLong())
    }
    val dist = LongArray(n + 1) { Long.MAX_VALUE }
    dist[1] = 0
    val pq = PriorityQueue<Pair<Long, Int>>(compareBy { it.first })
    pq.add(0L to 1)
    while (pq.isNotEmpty()) {
        val (d, u) = pq.poll()
        if (d > dist[u]) continue
        for ((v, w) in g[u]) {
            if (d + w < dist[v]) {
                dist[v] = d + w
                pq.add(dist[v] to v)
            }
        }
    }
    println((1..n).joinToString(" ") { if (dist[it] == Long.MAX_VALUE) "-1" else "${dist[it]}" })
}
