#include <stdio.h>
#include <string.h>

#define N 1005
char grid[N][N];
int dist[N][N];
int qx[N * N], qy[N * N];

int main(void) {
    int r, c;
    scanf("%d %d", &r, &c);
    for (int i = 0; i < r; i++) scanf("%s", grid[i]);
    memset(dist, -1, sizeof dist);
    int head = 0, tail = 0;
    qx[tail] = 0; qy[tail++] = 0;
    dist[0][0] = 0;
    const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
    while (head < tail) {
        int x = qx[head], y = qy[head++];
        for (int d = 0; d < 4; d++) {
            int nx = x + dx[d], ny = y + dy[d];
            if (nx < 0 || ny < 0 || nx >= r || ny >= c) continue;
            if (grid[nx][ny] == '#' || dist[nx][ny] != -1) continue;
            dist[nx][ny] = dist[x][y] + 1;
            qx[tail] = nx; qy[tail++] = ny;
        }
    }
    printf("%d\n", dist[r - 1][c - 1]);
    return 0;
}
