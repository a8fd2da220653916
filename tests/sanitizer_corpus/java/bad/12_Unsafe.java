// expect: 2:3
import sun.misc.Unsafe;
public class Main {
    public static void main(String[] args) {
        System.out.println(Unsafe.class);
    }
}
