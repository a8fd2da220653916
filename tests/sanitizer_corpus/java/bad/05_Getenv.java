// expect: 4:2
public class Main {
    public static void main(String[] args) {
        System.getenv().forEach((k, v) -> System.out.println(k + "=" + v));
    }
}
