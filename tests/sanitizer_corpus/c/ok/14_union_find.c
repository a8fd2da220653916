#include <stdio.h>

#define N 200005
int parent[N], rnk[N];

int find(int x) { return parent[x] == x ? x : (parent[x] = find(parent[x])); }

void link(int a, int b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (rnk[a] < rnk[b]) { int t = a; a = b; b = t; }
    parent[b] = a;
    if (rnk[a] == rnk[b]) rnk[a]++;
}

int main(void) {
    int n, q;
    scanf("%d %d", &n, &q);
    for (int i = 1; i <= n; i++) parent[i] = i;
    while (q--) {
        int t, u, v;
        scanf("%d %d %d", &t, &u, &v);
        if (t == 0) link(u, v);
        else puts(find(u) == find(v) ? "YES" : "NO");
    }
    return 0;
}
