fun main() {
    val words = generateSequence(::readLine).flatMap { it.lowercase().split(Regex("[^a-z]+")) }
        .filter { it.isNotEmpty() }.toList()
    val freq = words.groupingBy { it }.eachCount()
    freq.entries.sortedWith(compareBy({ -it.value }, { it.key })).take(3)
        .forEach { (w, c) -> println("$w $c") }
    println(words.filter { it.length > 1 && it == it.reversed() }.toSortedSet().joinToString(" "))
}
