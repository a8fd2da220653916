class DSU(n: Int) {
    private val parent = IntArray(n) { it }
    private val size = IntArray(n) { 1 }

    fun find(x: Int): Int {
        var r = x
        while (parent[r] != r) r = parent[r]
        var y = x
        while (parent[y] != r) { val next = parent[y]; parent[y] = r; y = next }
        return r
    }

    fun union(a: Int, b: Int): Boolean {
        var x = find(a); var y = find(b)
        if (x == y) return false
        if (size[x] < size[y]) { val t = x; x = y; y = t }
        parent[y] = x; size[x] += size[y]
        return true
    }
}

fun main() {
    val (n, m) = readln().split(" ").map { it.toInt() }
    val edges = List(m) { readln().split(" ").map { it.toInt() } }.sortedBy { it[2] }
    val dsu = DSU(n + 1)
    var total = 0L
    for ((u, v, w) in edges) if (dsu.union(u, v)) total += w
    println(total)
}
