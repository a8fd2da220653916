import java.io.*;
import java.util.*;

public class Main {
    static long[] tree;
    static int size;

    static void update(int i, long v) {
        for (tree[i += size] = v; i > 1; i >>= 1) tree[i >> 1] = tree[i] + tree[i ^ 1];
    }

    static long query(int l, int r) {
        long res = 0;
        for (l += size, r += size; l < r; l >>= 1, r >>= 1) {
            if ((l & 1) == 1) res += tree[l++];
            if ((r & 1) == 1) res += tree[--r];
        }
        return res;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer st = new StringTokenizer(br.readLine());
        int n = Integer.parseInt(st.nextToken()), q = Integer.parseInt(st.nextToken());
        size = 1;
        while (size < n) size <<= 1;
        tree = new long[2 * size];
        st = new StringTokenizer(br.readLine());
        for (int i = 0; i < n; i++) update(i, Long.parseLong(st.nextToken()));
        StringBuilder sb = new StringBuilder();
        while (q-- > 0) {
            st = new StringTokenizer(br.readLine());
            int type = Integer.parseInt(st.nextToken());
            int a = Integer.parseInt(st.nextToken()), b = Integer.parseInt(st.nextToken());
            if (type == 1) update(a - 1, b);
            else sb.append(query(a - 1, b)).append('\n');
        }
        System.out.print(sb);
    }
}
