#include <bits/stdc++.h>
using namespace std;

mt19937_64 rng(chrono::steady_clock::now().time_since_epoch().count());

int main() {
    int n;
    cin >> n;
    vector<int> p(n);
    iota(p.begin(), p.end(), 0);
    shuffle(p.begin(), p.end(), rng);
    // Treap-free randomized check: count fixed points of a random permutation.
    int fixed = 0;
    for (int i = 0; i < n; i++) fixed += p[i] == i;
    cout << (fixed >= 0 ? "OK" : "??") << "\n";
}
