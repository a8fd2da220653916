import java.util.*;

public class Main implements Runnable {
    static List<Integer>[] children;
    static int[] depth;

    public static void main(String[] args) {
        // A bigger stack for deep recursion: the usual judge idiom.
        new Thread(null, new Main(), "solver", 1 << 27).start();
    }

    static void dfs(int u, int d) {
        depth[u] = d;
        for (int v : children[u]) dfs(v, d + 1);
    }

    @SuppressWarnings("unchecked")
    public void run() {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        children = new List[n];
        depth = new int[n];
        for (int i = 0; i < n; i++) children[i] = new ArrayList<>();
        for (int i = 1; i < n; i++) children[sc.nextInt() - 1].add(i);
        dfs(0, 0);
        System.out.println(Arrays.stream(depth).max().getAsInt());
    }
}
