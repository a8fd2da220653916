#include <bits/stdc++.h>
using namespace std;

int main() {
    int n, m;
    cin >> n >> m;
    vector<vector<int>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int u, v;
        cin >> u >> v;
        adj[u].push_back(v);
        adj[v].push_back(u);
    }
    vector<int> dist(n + 1, -1), parent(n + 1, 0);
    queue<int> q;
    q.push(1);
    dist[1] = 0;
    while (!q.empty()) {
        int u = q.front();
        q.pop();
        for (int v : adj[u])
            if (dist[v] == -1) {
                dist[v] = dist[u] + 1;
                parent[v] = u;
                q.push(v);
            }
    }
    if (dist[n] == -1) {
        cout << "IMPOSSIBLE\n";
        return 0;
    }
    vector<int> path;
    for (int v = n; v != 0; v = parent[v]) path.push_back(v);
    reverse(path.begin(), path.end());
    cout << path.size() << '\n';
    for (int v : path) cout << v << ' ';
    cout << '\n';
}
