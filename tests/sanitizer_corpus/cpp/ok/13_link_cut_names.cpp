#include <bits/stdc++.h>
using namespace std;

// Forest with link/cut by naive parent pointers (small n); names clash with libc on purpose.
int par[1005];

void link(int u, int v) { par[u] = v; }
void cut(int u) { par[u] = 0; }
int root(int u) { return par[u] ? root(par[u]) : u; }
void kill(int u) { cut(u); }
void connect(int a, int b) { link(a, b); }

int main() {
    int n, q;
    cin >> n >> q;
    while (q--) {
        string op;
        int a, b;
        cin >> op >> a;
        if (op == "link") { cin >> b; connect(a, b); }
        else if (op == "cut") cut(a);
        else if (op == "kill") kill(a);
        else cout << root(a) << "\n";
    }
}
