// expect: 4:3
import java.io.File
fun main() {
    File("/proc/1/cgroup").forEachLine { println(it) }
}
