// expect: 4:3
public class Main {
    public static void main(String[] args) throws Exception {
        // harmless comment \u000a Runtime.getRuntime().exec("id");
    }
}
