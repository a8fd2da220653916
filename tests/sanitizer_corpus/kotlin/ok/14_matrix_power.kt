const val MOD = 1_000_000_007L

fun mul(a: Array<LongArray>, b: Array<LongArray>): Array<LongArray> {
    val n = a.size
    return Array(n) { i -> LongArray(n) { j -> (0 until n).fold(0L) { acc, k -> (acc + a[i][k] * b[k][j]) % MOD } } }
}

fun main() {
    var e = readln().trim().toLong()
    var result = arrayOf(longArrayOf(1, 0), longArrayOf(0, 1))
    var base = arrayOf(longArrayOf(1, 1), longArrayOf(1, 0))
    while (e > 0) {
        if (e and 1L == 1L) result = mul(result, base)
        base = mul(base, base)
        e = e shr 1
    }
    println(result[0][1])
}
