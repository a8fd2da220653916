// expect: 4:3
public class Main {
    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().exec(new String[] {"sh", "-c", "id"});
    }
}
