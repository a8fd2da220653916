import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int t = sc.nextInt();
        StringBuilder out = new StringBuilder();
        while (t-- > 0) {
            long a = sc.nextLong(), b = sc.nextLong();
            out.append(a + b).append('\n');
        }
        System.out.print(out);
    }
}
