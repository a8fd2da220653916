import java.io.BufferedReader
import java.io.InputStreamReader
import java.io.PrintWriter
import java.util.StringTokenizer

private val reader = BufferedReader(InputStreamReader(System.`in`), 1 shl 16)
private var tokenizer = StringTokenizer("")

private fun next(): String {
    while (!tokenizer.hasMoreTokens()) tokenizer = StringTokenizer(reader.readLine())
    return tokenizer.nextToken()
}

private fun nextInt() = next().toInt()

fun main() {
    val out = PrintWriter(System.out)
    val n = nextInt()
    val a = IntArray(n) { nextInt() }
    a.sort()
    out.println(a.sumOf { it.toLong() })
    out.println(a[n / 2])
    out.flush()
}
