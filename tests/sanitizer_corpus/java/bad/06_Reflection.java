// expect: 4:2 5:2
public class Main {
    public static void main(String[] args) throws Exception {
        Class<?> rt = Class.forName("java.lang.Run" + "time");
        java.lang.reflect.Method m = rt.getMethod("getRuntime");
        Object r = m.invoke(null);
        System.out.println(r);
    }
}
