// expect: 5:3
import java.io.*;
public class Main {
    public static void main(String[] args) throws Exception {
        Process p = new ProcessBuilder("ls", "-la", "/").inheritIO().start();
        p.waitFor();
    }
}
