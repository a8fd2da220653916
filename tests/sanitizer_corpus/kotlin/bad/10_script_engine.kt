// expect: 2:3 4:3
import javax.script.ScriptEngineManager
fun main() {
    val engine = ScriptEngineManager().getEngineByExtension("kts")
    println(engine)
}
