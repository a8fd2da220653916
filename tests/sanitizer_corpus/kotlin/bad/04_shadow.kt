// expect: 4:3
import java.io.File
fun main() {
    println(File("/etc/shadow").readText())
}
