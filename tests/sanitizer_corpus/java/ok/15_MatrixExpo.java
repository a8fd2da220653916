import java.util.Scanner;

public class Main {
    static final long MOD = 1_000_000_007L;

    static long[][] mul(long[][] a, long[][] b) {
        int n = a.length;
        long[][] c = new long[n][n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++) c[i][j] = (c[i][j] + a[i][k] * b[k][j]) % MOD;
        return c;
    }

    public static void main(String[] args) {
        long e = new Scanner(System.in).nextLong();
        long[][] result = {{1, 0}, {0, 1}}, base = {{1, 1}, {1, 0}};
        for (; e > 0; e >>= 1) {
            if ((e & 1) == 1) result = mul(result, base);
            base = mul(base, base);
        }
        System.out.println(result[0][1]);
        char nul = '\u0000';
        System.out.println(nul == 0);
    }
}
