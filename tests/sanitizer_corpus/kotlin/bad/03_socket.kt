// expect: 2:2 4:3
import java.net.Socket
fun main() {
    Socket("203.0.113.7", 4444).use { it.getOutputStream().write(1) }
}
