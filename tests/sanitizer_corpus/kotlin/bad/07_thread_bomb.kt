// expect: 3:3
fun main() {
    while (true) Thread { while (true) {} }.start()
}
