import java.util.ArrayDeque

fun main() {
    val (r, c) = readln().split(" ").map { it.toInt() }
    val grid = List(r) { readln() }
    val dist = Array(r) { IntArray(c) { -1 } }
    val q = ArrayDeque<Pair<Int, Int>>()
    dist[0][0] = 0
    q.add(0 to 0)
    val dirs = listOf(1 to 0, -1 to 0, 0 to 1, 0 to -1)
    while (q.isNotEmpty()) {
        val (x, y) = q.poll()
        for ((dx, dy) in dirs) {
            val nx = x + dx
            val ny = y + dy
            if (nx !in 0 until r || ny !in 0 until c || grid[nx][ny] == '#' || dist[nx][ny] >= 0) continue
            dist[nx][ny] = dist[x][y] + 1
            q.add(nx to ny)
        }
    }
    println(dist[r - 1][c - 1])
}
