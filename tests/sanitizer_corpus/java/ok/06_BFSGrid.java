import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader br = new BufferedReader(new InputStreamReader(System.in));
        String[] rc = br.readLine().trim().split("\\s+");
        int r = Integer.parseInt(rc[0]), c = Integer.parseInt(rc[1]);
        char[][] grid = new char[r][];
        for (int i = 0; i < r; i++) grid[i] = br.readLine().toCharArray();
        int[][] dist = new int[r][c];
        for (int[] row : dist) Arrays.fill(row, -1);
        ArrayDeque<int[]> q = new ArrayDeque<>();
        q.add(new int[] {0, 0});
        dist[0][0] = 0;
        int[] dx = {1, -1, 0, 0}, dy = {0, 0, 1, -1};
        while (!q.isEmpty()) {
            int[] cur = q.poll();
            for (int d = 0; d < 4; d++) {
                int nx = cur[0] + dx[d], ny = cur[1] + dy[d];
                if (nx < 0 || ny < 0 || nx >= r || ny >= c || grid[nx][ny] == '#' || dist[nx][ny] >= 0) continue;
                dist[nx][ny] = dist[cur[0]][cur[1]] + 1;
                q.add(new int[] {nx, ny});
            }
        }
        System.out.println(dist[r - 1][c - 1]);
    }
}
