// expect: 2:3 5:3
import javax.script.*;
public class Main {
    public static void main(String[] args) throws Exception {
        ScriptEngine e = new ScriptEngineManager().getEngineByName("js");
        e.eval("1+1");
    }
}
