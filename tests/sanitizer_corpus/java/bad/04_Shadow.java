// expect: 5:3 6:3
import java.nio.file.*;
public class Main {
    public static void main(String[] args) throws Exception {
        System.out.println(Files.readString(Path.of("/etc/shadow")));
        System.out.println(Files.readString(Path.of("/proc/self/environ")));
    }
}
