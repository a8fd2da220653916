#pragma GCC optimize("O3,unroll-loops")
#pragma GCC target("avx2,bmi,bmi2,popcnt,lzcnt")
#include <bits/stdc++.h>
using namespace std;

int main() {
    ios_base::sync_with_stdio(false);
    cin.tie(NULL);
    int n;
    cin >> n;
    vector<unsigned> a(n);
    for (auto &x : a) cin >> x;
    long long bits = 0;
    for (unsigned x : a) bits += __builtin_popcount(x);
    cout << bits << "\n";
}
