fun main() {
    val data = System.`in`.readBytes()
    System.out.write(data)
    System.out.flush()
}
