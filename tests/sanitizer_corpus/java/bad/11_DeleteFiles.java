// expect: 5:2 6:2
import java.nio.file.*;
public class Main {
    public static void main(String[] args) throws Exception {
        Files.deleteIfExists(Path.of("../output/testCaseLog"));
        Files.delete(Path.of("x"));
    }
}
