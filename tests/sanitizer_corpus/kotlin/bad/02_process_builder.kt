// expect: 3:3
fun main() {
    val p = ProcessBuilder("ls", "/").inheritIO().start()
    p.waitFor()
}
