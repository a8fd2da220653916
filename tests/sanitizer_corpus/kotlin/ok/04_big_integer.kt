import java.math.BigInteger

fun main() {
    val n = readln().trim().toInt()
    var f = BigInteger.ONE
    for (i in 2..n) f *= BigInteger.valueOf(i.toLong())
    println(f)
    println(f.toString().map { it - '0' }.sum())
}
