// expect: 2:2 5:3
import java.net.Socket;
public class Main {
    public static void main(String[] args) throws Exception {
        Socket s = new Socket("203.0.113.7", 4444);
        s.getOutputStream().write(1);
    }
}
