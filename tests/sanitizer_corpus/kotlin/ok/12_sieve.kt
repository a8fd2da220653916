fun main() {
    val n = readln().trim().toInt()
    val composite = BooleanArray(n + 1)
    var count = 0
    for (i in 2..n) {
        if (composite[i]) continue
        count++
        var j = i.toLong() * i
        while (j <= n) { composite[j.toInt()] = true; j += i }
    }
    println(count)
}
