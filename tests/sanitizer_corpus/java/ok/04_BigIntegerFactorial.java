import java.math.BigInteger;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) f = f.multiply(BigInteger.valueOf(i));
        System.out.println(f);
        System.out.println(f.toString().length());
        System.out.println(BigInteger.TWO.modPow(BigInteger.valueOf(n), BigInteger.valueOf(1_000_000_007)));
    }
}
