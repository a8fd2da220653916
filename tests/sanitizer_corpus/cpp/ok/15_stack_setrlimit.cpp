#include <bits/stdc++.h>
#include <sys/resource.h>
using namespace std;

vector<int> adj[200005];
int sub[200005];

void dfs(int u, int p) {
    sub[u] = 1;
    for (int v : adj[u])
        if (v != p) {
            dfs(v, u);
            sub[u] += sub[v];
        }
}

int main() {
    rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);
    rl.rlim_cur = RLIM_INFINITY;
    setrlimit(RLIMIT_STACK, &rl);
    int n;
    scanf("%d", &n);
    for (int i = 1; i < n; i++) {
        int u, v;
        scanf("%d %d", &u, &v);
        adj[u].push_back(v);
        adj[v].push_back(u);
    }
    dfs(1, 0);
    for (int i = 1; i <= n; i++) printf("%d ", sub[i]);
    puts("");
}
