// expect: 2:3 4:3
external fun evil(x: Int): Int
fun main() {
    System.loadLibrary("evil")
    println(evil(1))
}
