#include <bits/stdc++.h>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<vector<int>> d(n, vector<int>(n));
    for (auto &row : d)
        for (auto &x : row) cin >> x;
    const int INF = 1e9;
    vector<vector<int>> dp(1 << n, vector<int>(n, INF));
    dp[1][0] = 0;
    for (int mask = 1; mask < (1 << n); mask++)
        for (int u = 0; u < n; u++) {
            if (!(mask >> u & 1) || dp[mask][u] == INF) continue;
            for (int v = 0; v < n; v++)
                if (!(mask >> v & 1))
                    dp[mask | 1 << v][v] = min(dp[mask | 1 << v][v], dp[mask][u] + d[u][v]);
        }
    int best = INF;
    for (int u = 1; u < n; u++) best = min(best, dp[(1 << n) - 1][u] + d[u][0]);
    cout << (n == 1 ? 0 : best) << endl;
}
